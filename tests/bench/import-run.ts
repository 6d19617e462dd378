/**
 * One measured import, in its own process so its peak RSS is its own.
 * usage: tsx tests/bench/import-run.ts ours|raw FILE DB
 * prints {"seconds": s, "rows": n, "peak_rss_mb": m}
 */
import { createReadStream } from 'node:fs';
import { basename } from 'node:path';
import { createInterface } from 'node:readline';
import { monotonicFactory } from 'ulid';
import { createCore } from '../../electron/core';
import { openDatabase } from '../../electron/core/db/open';
import { contentHash } from '../../electron/core/services/imports';

async function ours(file: string, db: string): Promise<number> {
  const core = createCore({ dbPath: db });
  const created = await core.dispatch('projects.create', { name: 'bench' });
  if (!created.ok) throw new Error(created.error.message);
  const projectId = (created.value as { id: string }).id;
  const status = await core.imports.run({ projectId, filePath: file, format: 'jsonl', onBadLines: 'abort' });
  if (status.state !== 'committed') throw new Error(`import ${status.state}: ${status.fatal?.reason ?? status.errors[0]?.reason}`);
  core.close();
  return status.imported;
}

/** The baseline: the same rows into the same table with one plain prepared INSERT, one transaction. */
async function raw(file: string, dbPath: string): Promise<number> {
  const db = openDatabase(dbPath);
  const ulid = monotonicFactory();
  const projectId = ulid();
  const now = new Date().toISOString();
  db.prepare("INSERT INTO projects (id, name, schema_version, created_at) VALUES (?, 'bench', 1, ?)").run(projectId, now);
  db.prepare("INSERT INTO label_schemas (project_id, version, schema_json, created_at) VALUES (?, 1, '{}', ?)").run(projectId, now);
  const insert = db.prepare(
    `INSERT INTO items (id, project_id, ord, content_hash, text, meta_json, external_id, is_gold, source_file, source_line, import_id, created_at)
     VALUES (?, ?, ?, ?, ?, ?, NULL, 0, ?, ?, NULL, ?)`,
  );
  const source = basename(file);
  let n = 0;
  db.exec('BEGIN');
  for await (const line of createInterface({ input: createReadStream(file), crlfDelay: Infinity })) {
    const row = JSON.parse(line) as { text: string; meta: unknown };
    n++;
    insert.run(ulid(), projectId, n, contentHash(row.text), row.text, JSON.stringify(row.meta), source, n, now);
  }
  db.exec('COMMIT');
  db.close();
  return n;
}

async function main(): Promise<void> {
  const [mode, file, db] = process.argv.slice(2);
  if (!file || !db || (mode !== 'ours' && mode !== 'raw')) throw new Error('usage: import-run.ts ours|raw FILE DB');
  const started = performance.now();
  const rows = mode === 'ours' ? await ours(file, db) : await raw(file, db);
  const seconds = (performance.now() - started) / 1000;
  process.stdout.write(`${JSON.stringify({ seconds, rows, peak_rss_mb: process.resourceUsage().maxRSS / 1024 })}\n`);
}

void main();
