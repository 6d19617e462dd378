/** A section of the guideline: a heading and the lines up to the next heading of the same or a higher level. */
export interface GuidelineSection {
  label: string;
  heading: string;
  level: number;
  /** The Markdown below the heading. */
  body: string;
}

const HEADING = /^(#{1,6})\s+(.+?)\s*#*\s*$/;

interface Heading {
  level: number;
  text: string;
  line: number;
}

function headingsOf(lines: readonly string[]): Heading[] {
  const out: Heading[] = [];
  let fenced = false;
  lines.forEach((raw, line) => {
    if (/^\s{0,3}(```|~~~)/.test(raw)) fenced = !fenced;
    const m = fenced ? null : HEADING.exec(raw.replace(/\r$/, ''));
    if (m) out.push({ level: m[1]!.length, text: m[2]!, line });
  });
  return out;
}

/**
 * For each label, the first section whose heading contains the label's name (the deepest such
 * heading, so "### 1.3 退换货" wins over a chapter that mentions it in passing); labels without one are left out.
 */
export function sectionsFor(markdown: string, labels: readonly string[]): GuidelineSection[] {
  const lines = markdown.split('\n');
  const headings = headingsOf(lines);
  const out: GuidelineSection[] = [];
  for (const label of labels) {
    const name = label.trim();
    if (!name) continue;
    const matching = headings.filter((h) => h.text.includes(name));
    if (!matching.length) continue;
    const deepest = Math.max(...matching.map((h) => h.level));
    const at = headings.indexOf(matching.find((h) => h.level === deepest)!);
    const head = headings[at]!;
    const next = headings.slice(at + 1).find((h) => h.level <= head.level);
    const body = lines
      .slice(head.line + 1, next ? next.line : lines.length)
      .join('\n')
      .trim();
    if (!out.some((s) => s.heading === head.text)) out.push({ label: name, heading: head.text, level: head.level, body });
  }
  return out;
}
