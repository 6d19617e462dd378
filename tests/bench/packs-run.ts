/**
 * One measured step of `npm run bench -- packs`, in a process of its own so its peak RSS is its own:
 *   assign DB PROJECT OUT       plan 10 annotators × overlap 2 and write the packs
 *   results DB OUT              make one result pack per pack (one status event per item), signed by each annotator
 *   merge DB OUT                merge every result pack in OUT
 *   raw DB OUT                  insert the same events with a bare INSERT, one transaction per pack
 * Prints one JSON line {"seconds", "peak_rss_mb", ...}.
 */
import fs from 'node:fs';
import path from 'node:path';
import { strFromU8, unzipSync } from 'fflate';
import { monotonicFactory } from 'ulid';
import { createCore } from '../../electron/core';
import { writeTransaction } from '../../electron/core/db/write';
import { writeSignedArchive } from '../../electron/core/packs/archive';
import { assignmentAnnotators, writeAssignment } from '../../electron/core/packs/assign';
import { PACK_VERSION, RESULT_FORMAT } from '../../electron/core/packs/format';
import { fileKeyStore, workstationSigner } from '../../electron/core/packs/keys';
import { mergeResultPacks } from '../../electron/core/packs/merge';

const ANNOTATORS = Array.from({ length: 10 }, (_, i) => `annotator${i + 1}`);
const [mode, dbPath, a, b] = process.argv.slice(2) as [string, string, string, string | undefined];
const core = createCore({ dbPath });
const started = performance.now();
const cpu = process.cpuUsage();
let extra: Record<string, number> = {};
const ulid = monotonicFactory();

/** The events of a result pack: one submitted status per item of the pack, at a fixed time. */
function eventsOf(packId: string): { local: number; id: string }[] {
  const n = core.db.prepare('SELECT count(*) FROM pack_items WHERE pack_id = ?').pluck().get(packId) as number;
  return Array.from({ length: n }, (_, i) => ({ local: i + 1, id: ulid() }));
}

if (mode === 'assign') {
  const ids = writeTransaction(core.db, () => assignmentAnnotators(core.db, core.runtime, ANNOTATORS));
  const r = writeAssignment(core.db, core.runtime, workstationSigner(fileKeyStore(dbPath)), { projectId: a, annotatorIds: ids, overlap: 2, goldShare: 0, filter: 'all', seed: 1, expiresDays: 30 }, b!);
  extra = { packs: r.packs.length, pack_items: r.packs.reduce((s, p) => s + p.items, 0) };
} else if (mode === 'results') {
  const packs = core.db.prepare('SELECT p.id, p.project_id, a.name FROM packs p JOIN annotators a ON a.id = p.annotator_id ORDER BY a.name').all() as { id: string; project_id: string; name: string }[];
  const now = new Date().toISOString();
  for (const p of packs) {
    const signer = workstationSigner(fileKeyStore(path.join(a, `${p.name}.db`)));
    const events = eventsOf(p.id);
    const lines = events.map((e) => JSON.stringify({ pack: p.id, item: e.local, id: e.id, kind: 'status', value: 'submitted', source: 'manual', started_at: null, ended_at: now, action_id: null, reverts_action_id: null }));
    const bytes = writeSignedArchive(
      { format: RESULT_FORMAT, version: PACK_VERSION, project_id: p.project_id, annotator: p.name, signed_at: now, packs: [{ pack_id: p.id, events: events.length }] },
      { 'events.jsonl': lines.join('\n') + '\n', 'states.jsonl': '' },
      signer,
    );
    fs.writeFileSync(path.join(a, `${p.name}.result.zip`), bytes);
  }
  extra = { results: packs.length };
} else if (mode === 'merge') {
  const files = fs.readdirSync(a).filter((f) => f.endsWith('.result.zip')).sort();
  let merged = 0;
  // One file at a time, as the lead drops them in: only one result pack is in memory at once.
  for (const f of files) {
    const r = mergeResultPacks(core.db, core.runtime, [{ name: f, bytes: fs.readFileSync(path.join(a, f)) }]);
    if (r.refused.length) throw new Error(`${f}: ${r.refused[0]!.reason}`);
    merged += r.merged_events;
  }
  extra = { merged_events: merged };
} else if (mode === 'raw') {
  // The same rows a merge inserts, bare: read the file's events, one INSERT each, one transaction per file.
  const files = fs.readdirSync(a).filter((f) => f.endsWith('.result.zip')).sort();
  const insert = core.db.prepare(
    `INSERT INTO annotation_events (id, project_id, item_id, annotator_id, kind, value_json, source, schema_version, started_at, ended_at)
     SELECT ?, p.project_id, pi.item_id, p.annotator_id, ?, ?, ?, 1, ?, ? FROM pack_items pi JOIN packs p ON p.id = pi.pack_id WHERE pi.pack_id = ? AND pi.local_id = ?`,
  );
  let n = 0;
  for (const f of files) {
    const text = strFromU8(unzipSync(fs.readFileSync(path.join(a, f)))['events.jsonl']!);
    const events = text.split('\n').filter(Boolean).map((l) => JSON.parse(l) as { pack: string; item: number; id: string; kind: string; value: unknown; source: string; started_at: string | null; ended_at: string });
    writeTransaction(core.db, () => {
      for (const e of events) insert.run(e.id, e.kind, JSON.stringify(e.value), e.source, e.started_at, e.ended_at, e.pack, e.item);
    });
    n += events.length;
  }
  extra = { inserted: n };
}
const seconds = (performance.now() - started) / 1000;
const used = process.cpuUsage(cpu);
core.close();
console.log(JSON.stringify({ seconds, cpu_seconds: (used.user + used.system) / 1e6, peak_rss_mb: process.resourceUsage().maxRSS / 1024, ...extra }));
