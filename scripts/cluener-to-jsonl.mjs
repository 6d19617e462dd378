#!/usr/bin/env node
/**
 * CLUENER2020 → our span JSONL.
 *
 *   node scripts/cluener-to-jsonl.mjs IN.jsonl [OUT.jsonl]   (OUT defaults to stdout)
 *
 * CLUENER lines are {"text", "label": {type: {mention: [[start, end_inclusive], …]}}} (the test split
 * has no "label"). Ours are {"text", "entities": [{start, end, label}]}: Unicode code points,
 * end-exclusive, sorted by start. Each mention is checked against the text it claims to cover:
 * CLUENER's offsets are Python string indices, i.e. code points, but they are checked, not trusted.
 * A mismatch is reported on stderr; if the mention occurs in the text exactly once it is moved
 * there, otherwise it is dropped. A summary goes to stderr; the exit code is 1 only on bad input.
 */
import { readFileSync, writeFileSync } from 'node:fs';

const [input, output] = process.argv.slice(2);
if (!input || input === '-h' || input === '--help') {
  console.error('usage: node scripts/cluener-to-jsonl.mjs IN.jsonl [OUT.jsonl]');
  process.exit(input ? 0 : 2);
}

/** Code-point index of every occurrence of `needle` (as code points) in `cps`. */
function occurrences(cps, needle) {
  const out = [];
  outer: for (let i = 0; i + needle.length <= cps.length; i++) {
    for (let k = 0; k < needle.length; k++) if (cps[i + k] !== needle[k]) continue outer;
    out.push(i);
  }
  return out;
}

const lines = readFileSync(input, 'utf8')
  .replace(/^\uFEFF/, '')
  .split('\n');
const out = [];
const stats = { lines: 0, entities: 0, mismatched: 0, moved: 0, dropped: 0, duplicates: 0, overlapping: 0 };
const labels = new Map();
lines.forEach((line, i) => {
  if (!line.trim()) return;
  let obj;
  try {
    obj = JSON.parse(line);
  } catch {
    console.error(`${input}: line ${i + 1}: malformed JSON`);
    process.exit(1);
  }
  if (typeof obj.text !== 'string') {
    console.error(`${input}: line ${i + 1}: no "text"`);
    process.exit(1);
  }
  stats.lines++;
  const cps = Array.from(obj.text);
  const seen = new Set();
  const entities = [];
  for (const [label, mentions] of Object.entries(obj.label ?? {})) {
    for (const [mention, ranges] of Object.entries(mentions ?? {})) {
      const mcps = Array.from(mention);
      for (const range of ranges ?? []) {
        const [s, eIncl] = range;
        let start = s;
        let end = eIncl + 1;
        if (!Number.isInteger(start) || !Number.isInteger(end) || cps.slice(start, end).join('') !== mention) {
          stats.mismatched++;
          const at = occurrences(cps, mcps);
          const got = Number.isInteger(start) && Number.isInteger(end) ? JSON.stringify(cps.slice(start, end).join('')) : 'bad offsets';
          if (at.length === 1) {
            stats.moved++;
            console.error(`line ${i + 1}: ${label} ${JSON.stringify(mention)} at [${s}, ${eIncl}] covers ${got}; moved to ${at[0]}`);
            start = at[0];
            end = start + mcps.length;
          } else {
            stats.dropped++;
            console.error(`line ${i + 1}: ${label} ${JSON.stringify(mention)} at [${s}, ${eIncl}] covers ${got}; dropped (${at.length} occurrences)`);
            continue;
          }
        }
        const key = `${start}:${end}:${label}`;
        if (seen.has(key)) {
          stats.duplicates++;
          continue;
        }
        seen.add(key);
        entities.push({ start, end, label });
        labels.set(label, (labels.get(label) ?? 0) + 1);
      }
    }
  }
  entities.sort((a, b) => a.start - b.start || a.end - b.end || (a.label < b.label ? -1 : 1));
  for (let k = 1; k < entities.length; k++) if (entities[k].start < entities[k - 1].end) stats.overlapping++;
  stats.entities += entities.length;
  out.push(JSON.stringify({ text: obj.text, entities }));
});

const body = out.join('\n') + (out.length ? '\n' : '');
if (output) writeFileSync(output, body);
else process.stdout.write(body);
console.error(
  `${stats.lines} texts, ${stats.entities} entities; ${stats.mismatched} offset mismatches (${stats.moved} moved, ${stats.dropped} dropped), ` +
    `${stats.duplicates} duplicates skipped, ${stats.overlapping} overlapping pairs kept`,
);
console.error(
  `labels: ${[...labels]
    .sort((a, b) => b[1] - a[1])
    .map(([l, n]) => `${l} ${n}`)
    .join(', ')}`,
);
