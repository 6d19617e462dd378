import { createReadStream, createWriteStream } from 'node:fs';
import { once } from 'node:events';
import readline from 'node:readline';
import type { Command } from 'commander';
import { spanText } from '../../../shared/domain/spans';
import { generatePseudonymKey, redactText, type RedactionMode } from '../../core/redaction';
import { printJson } from '../output';

interface RedactOptions {
  in: string;
  out: string;
  mode?: string;
  key?: string;
  personal?: string;
  json?: boolean;
}

interface EntityLike {
  start: number;
  end: number;
  label: string;
  text?: string;
}

export function registerRedact(program: Command): void {
  program
    .command('redact')
    .description(
      'redact phone numbers, resident IDs, bank cards and e-mail in a project JSONL file (one object a line with "text" and optional "entities"), remapping entity offsets',
    )
    .requiredOption('--in <file>', 'the JSONL file to read')
    .requiredOption('--out <file>', 'the JSONL file to write')
    .option('--mode <mode>', 'placeholder, mask or pseudonym (default placeholder)')
    .option('--key <secret>', 'pseudonym key (>= 16 bytes) so the same value gets the same surrogate across runs; default: a random key used once and printed nowhere')
    .option('--personal <labels>', 'comma-separated entity labels whose spans are redacted too (names, addresses)')
    .option('--json', 'print the counts as one JSON object')
    .action(async (opts: RedactOptions) => {
      process.exitCode = await runRedact(opts);
    });
}

async function runRedact(opts: RedactOptions): Promise<number> {
  const mode = (opts.mode ?? 'placeholder') as RedactionMode;
  if (!['placeholder', 'mask', 'pseudonym'].includes(mode)) {
    console.error('annot redact: --mode must be placeholder, mask or pseudonym');
    return 2;
  }
  const key = mode === 'pseudonym' ? (opts.key ?? generatePseudonymKey()) : undefined;
  const personalTypes = opts.personal ? opts.personal.split(',').map((s) => s.trim()).filter(Boolean) : [];
  const counts: Record<string, number> = {};
  let lines = 0;
  let redacted = 0;
  const out = createWriteStream(opts.out);
  const input = readline.createInterface({ input: createReadStream(opts.in, 'utf8'), crlfDelay: Infinity });
  let lineNo = 0;
  try {
    for await (const raw of input) {
      lineNo++;
      const line = lineNo === 1 ? raw.replace(/^\uFEFF/, '') : raw;
      if (!line.trim()) continue;
      let obj: Record<string, unknown>;
      try {
        obj = JSON.parse(line) as Record<string, unknown>;
      } catch {
        console.error(`annot redact: line ${lineNo} is not JSON`);
        return 1;
      }
      lines++;
      if (typeof obj.text === 'string') {
        const entities = Array.isArray(obj.entities) ? (obj.entities as EntityLike[]) : undefined;
        const r = redactText(obj.text, { mode, key, spans: entities, personalTypes });
        obj.text = r.text;
        if (entities) obj.entities = r.spans.map((s) => (s.text === undefined ? s : { ...s, text: spanText(r.text, s) }));
        if (r.replacements.length) redacted++;
        for (const x of r.replacements) counts[x.type] = (counts[x.type] ?? 0) + 1;
      }
      if (!out.write(JSON.stringify(obj) + '\n')) await once(out, 'drain');
    }
  } finally {
    out.end();
    await once(out, 'close');
  }
  if (opts.json) printJson({ lines, redacted, counts });
  else {
    console.log(`redacted ${redacted} of ${lines} lines into ${opts.out}`);
    for (const [t, n] of Object.entries(counts)) console.log(`  ${t}: ${n}`);
  }
  return 0;
}
