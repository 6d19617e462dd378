/**
 * The labeling guideline as Markdown: the starting template with a section per label, and finding
 * the section of a label (or of a reference such as "3.2") in it. Pure functions, used by the
 * renderer; electron/core/services/adjudication/guidelines.ts builds the same template.
 */

const HEADING = /^(#{1,6})\s+(.*)$/;
/** A section number at the start of a heading: "3", "3.2", "3.2.1", optionally followed by a dot. */
const NUMBER = /^(\d+(?:\.\d+)*)\.?$/;

/** A starting point for a project's guideline: a section per label, with the parts every section needs. */
export function guidelineTemplate(intents: readonly string[], entityTypes: readonly string[]): string {
  const section = (n: string, name: string) =>
    `### ${n} ${name}\n\n- 定义 / Definition:\n- 包括 / Include:\n- 不包括 / Exclude:\n- 正例 / Positive examples:\n- 反例 / Negative examples:\n`;
  return [
    '# 标注规范 / Labeling guideline\n',
    '## 1 意图 / Intents\n',
    ...intents.map((name, i) => section(`1.${i + 1}`, name)),
    '## 2 实体 / Entities\n',
    ...entityTypes.map((name, i) => `${section(`2.${i + 1}`, name)}- 边界 / Span boundaries:\n`),
  ].join('\n');
}

export interface GuidelineHeading {
  /** 1 for #, 6 for ######. */
  level: number;
  /** The section number the heading starts with ("3.2"), or null. */
  number: string | null;
  /** The heading's text after its number. */
  title: string;
  /** Its line in the document (0-based). */
  line: number;
}

/** The headings of the document, outside fenced code blocks. */
export function guidelineHeadings(markdown: string): GuidelineHeading[] {
  const out: GuidelineHeading[] = [];
  let fenced = false;
  markdown.split('\n').forEach((raw, line) => {
    const text = raw.replace(/\r$/, '');
    if (/^\s{0,3}(```|~~~)/.test(text)) fenced = !fenced;
    if (fenced) return;
    const m = HEADING.exec(text);
    if (!m) return;
    const words = m[2]!
      .replace(/\s+#+\s*$/, '')
      .trim()
      .split(/\s+/);
    const numbered = NUMBER.exec(words[0] ?? '');
    out.push({
      level: m[1]!.length,
      number: numbered ? numbered[1]! : null,
      title: (numbered ? words.slice(1) : words).join(' '),
      line,
    });
  });
  return out;
}

/** The lines from a heading to the next heading of the same or a higher level. */
function sectionFrom(markdown: string, headings: GuidelineHeading[], at: number): string {
  const lines = markdown.split('\n');
  const start = headings[at]!;
  const next = headings.slice(at + 1).find((h) => h.level <= start.level);
  return lines
    .slice(start.line, next ? next.line : lines.length)
    .join('\n')
    .trim();
}

/**
 * The section of the guideline about a label: from the first heading that names it (one of its
 * words is the label, as the core matches it, or its text after the number is the label, for names
 * with spaces) to the next heading of the same or a higher level; null when no heading names it.
 */
export function guidelineSection(markdown: string, label: string): string | null {
  const name = label.trim();
  if (!name) return null;
  const headings = guidelineHeadings(markdown);
  const at = headings.findIndex((h) => h.title === name || h.title.split(/\s+/).includes(name) || h.number === name);
  return at < 0 ? null : sectionFrom(markdown, headings, at);
}

/** The section a reference points at: "3.2", "§3.2" or "guideline 3.2" finds the heading numbered 3.2. */
export function guidelineSectionByRef(markdown: string, ref: string): string | null {
  const number = /\d+(?:\.\d+)*/.exec(ref)?.[0];
  if (!number) return null;
  const headings = guidelineHeadings(markdown);
  const at = headings.findIndex((h) => h.number === number);
  return at < 0 ? null : sectionFrom(markdown, headings, at);
}
