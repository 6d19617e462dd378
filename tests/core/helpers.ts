/**
 * Shared helpers for the core tests: a fresh temp dir per test (removed when the test ends), a real
 * core over a real SQLite file, a project, file writers (including GB18030 and UTF-16LE) and a
 * full dump of the main database to prove that a refused import changed nothing.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { onTestFinished } from 'vitest';
import { createCore, type Core } from '../../electron/core';
import type { DB } from '../../electron/core/db/open';
import type { ImportRequest } from '../../electron/core/services/imports';
import type { ImportStatus, ItemDetail, ProjectDetail } from '../../shared/contract/schemas';
import type { Result } from '../../shared/contract/errors';
import type { LabelSchemaInput } from '../../shared/domain/labelSchema';

export const REPO_ROOT = path.resolve(__dirname, '..', '..');
export const MIGRATE_FIXTURES = path.join(REPO_ROOT, 'tests', 'fixtures', 'migrate');

/** A new empty directory under the OS temp dir, deleted when the current test finishes. */
export function freshDir(prefix = 'annot-core-'): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  onTestFinished(() => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

export interface TestCore {
  core: Core;
  dir: string;
  dbPath: string;
  /** Everything the core reported as an internal error (should stay empty). */
  internalErrors: unknown[];
}

/** A core over a new database file in a fresh temp dir; closed when the test finishes. */
export function openCore(dir: string = freshDir()): TestCore {
  const dbPath = path.join(dir, 'test.db');
  const internalErrors: unknown[] = [];
  const core = createCore({ dbPath, onInternalError: (_where, error) => internalErrors.push(error) });
  onTestFinished(() => {
    try {
      core.close();
    } catch {
      /* already closed */
    }
  });
  return { core, dir, dbPath, internalErrors };
}

/** The value of a successful dispatch; throws with the error payload otherwise. */
export function unwrap<T = unknown>(result: Result<unknown>): T {
  if (!result.ok) throw new Error(`dispatch failed: ${result.error.code}: ${result.error.message}`);
  return result.value as T;
}

export async function call<T = unknown>(core: Core, channel: string, input: unknown): Promise<T> {
  return unwrap<T>(await core.dispatch(channel, input));
}

export async function createProject(core: Core, name = '测试项目', schema?: LabelSchemaInput): Promise<ProjectDetail> {
  return call<ProjectDetail>(core, 'projects.create', schema ? { name, schema } : { name });
}

/** A core with one project (default schema) in a fresh temp dir. */
export async function setup(projectName = '测试项目'): Promise<TestCore & { project: ProjectDetail }> {
  const t = openCore();
  const project = await createProject(t.core, projectName);
  return { ...t, project };
}

/** A token for a file, as the shell's dialog hands the core one (the contract takes tokens, never paths). */
export function fileToken(core: Core, path: string, purpose: 'import' | 'model-folder' | 'export-folder' = 'import'): string {
  return core.grants.grant(path, purpose);
}

/** Runs an import to its end (committed, failed or needs-decision). */
export function runImport(
  core: Core,
  projectId: string,
  filePath: string,
  format: ImportRequest['format'],
  extra: Partial<ImportRequest> = {},
): Promise<ImportStatus> {
  return core.imports.run({ projectId, filePath, format, onBadLines: 'abort', ...extra });
}

export function writeFile(dir: string, name: string, content: string | Uint8Array): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, content);
  return file;
}

export function jsonl(rows: unknown[], eol = '\n'): string {
  return rows.map((r) => JSON.stringify(r)).join(eol) + eol;
}

/** All items of a project in ord order (straight from the database). */
export function itemsOf(
  db: DB,
  projectId: string,
): { id: string; ord: number; text: string; meta: Record<string, unknown>; source_line: number | null }[] {
  return (
    db.prepare('SELECT id, ord, text, meta_json, source_line FROM items WHERE project_id = ? ORDER BY ord').all(projectId) as {
      id: string;
      ord: number;
      text: string;
      meta_json: string;
      source_line: number | null;
    }[]
  ).map((r) => ({ id: r.id, ord: r.ord, text: r.text, meta: JSON.parse(r.meta_json) as Record<string, unknown>, source_line: r.source_line }));
}

export function count(db: DB, table: string, where = '1', ...params: unknown[]): number {
  return (db.prepare(`SELECT count(*) AS n FROM ${table} WHERE ${where}`).get(...params) as { n: number }).n;
}

export async function itemDetail(core: Core, itemId: string): Promise<ItemDetail> {
  return call<ItemDetail>(core, 'items.get', { itemId });
}

export async function itemByText(core: Core, projectId: string, text: string): Promise<ItemDetail> {
  const row = core.db.prepare('SELECT id FROM items WHERE project_id = ? AND text = ?').get(projectId, text) as { id: string } | undefined;
  if (!row) throw new Error(`no item with text ${JSON.stringify(text)}`);
  return itemDetail(core, row.id);
}

/**
 * Every row of every table of the main database, with the schema and user_version: two dumps are
 * deep-equal exactly when nothing in the database changed.
 */
export function dumpDatabase(db: DB): Record<string, unknown> {
  const master = db.prepare('SELECT type, name, tbl_name, sql FROM main.sqlite_master ORDER BY type, name').all() as {
    type: string;
    name: string;
  }[];
  const out: Record<string, unknown> = {
    user_version: db.pragma('user_version', { simple: true }),
    sqlite_master: master,
  };
  for (const { name } of master.filter((m) => m.type === 'table')) {
    const columns = (db.prepare('SELECT count(*) AS n FROM pragma_table_info(?)').get(name) as { n: number }).n;
    const order = Array.from({ length: columns }, (_, i) => i + 1).join(', ');
    out[`table:${name}`] = db.prepare(`SELECT * FROM main."${name.replace(/"/g, '""')}" ORDER BY ${order}`).all();
  }
  return out;
}

/** Names of the tables in the connection's temp schema (import staging tables live there). */
export function tempTables(db: DB): string[] {
  return (db.prepare("SELECT name FROM temp.sqlite_master WHERE type = 'table'").all() as { name: string }[]).map((r) => r.name);
}

let gbTable: Map<string, number[]> | null = null;

/**
 * Encodes text as GB18030 without iconv: builds the reverse of the two-byte GBK range of the
 * platform's GB18030 decoder once (ASCII stays one byte). Enough for ordinary Chinese text.
 */
export function encodeGb18030(text: string): Buffer {
  if (!gbTable) {
    gbTable = new Map();
    const decoder = new TextDecoder('gb18030', { fatal: true });
    for (let lead = 0x81; lead <= 0xfe; lead++) {
      for (let trail = 0x40; trail <= 0xfe; trail++) {
        if (trail === 0x7f) continue;
        try {
          const ch = decoder.decode(Uint8Array.of(lead, trail));
          if (ch.length === 1 && !gbTable.has(ch)) gbTable.set(ch, [lead, trail]);
        } catch {
          /* not a character */
        }
      }
    }
  }
  const bytes: number[] = [];
  for (const ch of text) {
    const code = ch.codePointAt(0)!;
    if (code < 0x80) bytes.push(code);
    else {
      const pair = gbTable.get(ch);
      if (!pair) throw new Error(`cannot encode ${JSON.stringify(ch)} as two-byte GB18030`);
      bytes.push(...pair);
    }
  }
  return Buffer.from(bytes);
}

/** UTF-16LE bytes with a BOM. */
export function encodeUtf16le(text: string): Buffer {
  return Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
}

/** Samples the process's memory while `work` runs; returns the peak RSS growth in bytes. */
export async function peakRssGrowth<T>(work: () => Promise<T>): Promise<{ value: T; growth: number }> {
  const base = process.memoryUsage().rss;
  let peak = base;
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 5);
  try {
    const value = await work();
    peak = Math.max(peak, process.memoryUsage().rss);
    return { value, growth: peak - base };
  } finally {
    clearInterval(timer);
  }
}

/** The parts of an annotation state a test cares about. */
export const brief = (a: { annotator: string; intents: string[]; entities: unknown[]; sentiment: string | null; status: string }) => ({
  annotator: a.annotator,
  intents: a.intents,
  entities: a.entities,
  sentiment: a.sentiment,
  status: a.status,
});

/** Items of the demo that its team (小王, 小李) labeled: labeled items beyond the gold ones in a fresh demo. */
export const DEMO_TEAM_ITEMS = new Set(
  fs
    .readFileSync(path.join(REPO_ROOT, 'resources', 'demo', 'demo-items.jsonl'), 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as { text: string; annotator?: string; gold?: boolean })
    .filter((l) => typeof l.annotator === 'string' && l.gold !== true)
    .map((l) => l.text),
).size;

/** A copy of the demo file without its team's lines (gold and unlabeled items only), for tests that count labels. */
export function soloDemoFile(): string {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'annot-demo-solo-')), 'demo-items.jsonl');
  const lines = fs
    .readFileSync(path.join(REPO_ROOT, 'resources', 'demo', 'demo-items.jsonl'), 'utf8')
    .split('\n')
    .filter((l) => l.trim() && typeof (JSON.parse(l) as { annotator?: unknown }).annotator !== 'string');
  fs.writeFileSync(file, `${lines.join('\n')}\n`);
  return file;
}
