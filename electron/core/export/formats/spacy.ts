/**
 * spaCy JSONL: one object per item for `spacy_to_docbin.py` (shipped in the bundle, see
 * spacy_to_docbin.py.ts), which builds the `.spacy` DocBin on the training machine. spaCy's own
 * CoNLL converter joins Chinese characters with spaces (DESIGN §12), so the bundle carries offsets
 * instead:
 *
 *   {"id", "text", "entities": [{"start", "end", "label", "text"}],   code points, end-exclusive
 *    "cats": {"<intent>": 1.0 | 0.0, …},                                every intent; {} when none
 *    "sentiment": "<name>" | null, "meta": {…, "dialogue_id", "turn"}}
 *
 * `cats` lists every intent of the schema so textcat sees the negatives; an item without an intent
 * (single-label, intent null) gets `{}`, which spaCy treats as "missing" rather than "no class".
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ExportRecord, FormatWriter, WriterOptions } from '../types';
import { RecordChecker } from './features';
import { TextFormatWriter } from './hfJsonl';
import { SPACY_SCRIPT_NAME, SPACY_TO_DOCBIN_PY } from './spacy_to_docbin.py';

export { SPACY_SCRIPT_NAME, SPACY_TO_DOCBIN_PY };

/** One spaCy JSONL line (with its `\n`). */
export function spacyLine(checker: RecordChecker, record: ExportRecord): string {
  const { features } = checker;
  const c = checker.check(record);
  const chosen = new Set(features.multiLabel ? c.intents : c.intent === null ? [] : [c.intent]);
  const cats = Object.create(null) as Record<string, number>;
  if (features.multiLabel || c.intent !== null) for (const name of features.intents) cats[name] = chosen.has(name) ? 1 : 0;
  const meta = Object.create(null) as Record<string, unknown>;
  features.meta.forEach(({ name }, i) => {
    meta[name] = c.meta[i];
  });
  if (features.dialogue) {
    meta.dialogue_id = c.dialogueId;
    meta.turn = c.turn;
  }
  return (
    JSON.stringify({
      id: record.id,
      text: record.text,
      entities: c.entities.map((s) => ({ start: s.start, end: s.end, label: s.label, text: s.text })),
      cats,
      sentiment: c.sentiment,
      meta,
    }) + '\n'
  );
}

export function createSpacyWriter(path: string, options: WriterOptions): FormatWriter {
  const checker = new RecordChecker(options.features);
  return new TextFormatWriter(path, (record) => spacyLine(checker, record));
}

/** Writes `spacy_to_docbin.py` into the bundle directory; resolves to its path. */
export async function writeSpacyScript(dir: string): Promise<string> {
  const path = join(dir, SPACY_SCRIPT_NAME);
  await writeFile(path, SPACY_TO_DOCBIN_PY, { encoding: 'utf8', mode: 0o755 });
  return path;
}
