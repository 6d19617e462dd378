/**
 * For the database-failure tests: a labeling database on a real file, damage done to its pages or
 * its header the way a failing disk does it, and reads that do not go through the core.
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { onTestFinished } from 'vitest';
import { createCore, type Core, type CoreOptions } from '../../electron/core';
import type { Annotator, ApplyResult, ProjectDetail } from '../../shared/contract/schemas';
import { call, jsonl, REPO_ROOT, writeFile } from './helpers';

export interface LabelingDb {
  core: Core;
  dbPath: string;
  project: ProjectDetail;
  annotator: Annotator;
  itemIds: string[];
  /** One decision: intent `label` on item i (0-based). */
  decide(i: number, label?: string): Promise<ApplyResult>;
}

export const INTENTS = ['查询订单', '物流进度', '退换货', '投诉'];

/** A core (closed when the test ends) over `<dir>/<name>` with one project of `items` items and one annotator. */
export async function labelingDb(dir: string, items = 40, options: Partial<CoreOptions> = {}, name = 'workstation.db'): Promise<LabelingDb> {
  const dbPath = path.join(dir, name);
  const core = open(dbPath, options);
  const project = await call<ProjectDetail>(core, 'projects.create', { name: '售后' });
  const file = writeFile(
    dir,
    `${name}.items.jsonl`,
    jsonl(Array.from({ length: items }, (_, i) => ({ text: `第${i + 1}条：我的快递怎么还没到，订单DD${1000 + i}` }))),
  );
  const status = await core.imports.run({ projectId: project.id, filePath: file, format: 'jsonl', onBadLines: 'abort' });
  if (status.state !== 'committed') throw new Error(`import ${status.state}`);
  const annotator = await call<Annotator>(core, 'annotators.create', { name: '小王' });
  const itemIds = (core.db.prepare('SELECT id FROM items WHERE project_id = ? ORDER BY ord').all(project.id) as { id: string }[]).map((r) => r.id);
  const decide = (i: number, label = INTENTS[i % INTENTS.length]!) =>
    call<ApplyResult>(core, 'labeling.apply', {
      projectId: project.id,
      itemId: itemIds[i % itemIds.length],
      annotatorId: annotator.id,
      changes: [{ kind: 'intents', value: [label] }],
    });
  return { core, dbPath, project, annotator, itemIds, decide };
}

/** createCore, closed when the test ends. */
export function open(dbPath: string, options: Partial<CoreOptions> = {}): Core {
  const core = createCore({ dbPath, onInternalError: () => {}, ...options });
  onTestFinished(() => {
    try {
      core.close();
    } catch {
      // closed already
    }
  });
  return core;
}

/** Every decision in a database file, in order (read with a connection of its own, read-only). */
export function decisionsIn(dbPath: string): { item: string; kind: string; value: string }[] {
  const db = new Database(dbPath, { readonly: true, fileMustExist: true });
  try {
    return db.prepare('SELECT item_id AS item, kind, value_json AS value FROM annotation_events ORDER BY seq').all() as {
      item: string;
      kind: string;
      value: string;
    }[];
  } finally {
    db.close();
  }
}

export function sha256(file: string): string {
  return createHash('sha256').update(fs.readFileSync(file)).digest('hex');
}

/**
 * Overwrites the root page of a table (and so every read of it) with noise, as a bad sector would:
 * the header and the schema stay readable, so the file opens and SQLite reports SQLITE_CORRUPT when
 * it reads the table (and quick_check finds it). The database must be closed (its WAL folded in).
 */
export function damagePages(dbPath: string, table = 'items'): void {
  if (fs.existsSync(`${dbPath}-wal`)) throw new Error('close the database first: its WAL would hide the damage');
  const probe = new Database(dbPath, { readonly: true });
  const { rootpage } = probe.prepare("SELECT rootpage FROM sqlite_master WHERE type = 'table' AND name = ?").get(table) as { rootpage: number };
  const pageSize = probe.pragma('page_size', { simple: true }) as number;
  probe.close();
  const noise = Buffer.alloc(pageSize);
  for (let i = 0; i < pageSize; i++) noise[i] = (i * 131 + 7) % 251;
  const fd = fs.openSync(dbPath, 'r+');
  try {
    fs.writeSync(fd, noise, 0, pageSize, (rootpage - 1) * pageSize);
  } finally {
    fs.closeSync(fd);
  }
  for (const side of ['-wal', '-shm']) fs.rmSync(`${dbPath}${side}`, { force: true });
}

/** Overwrites the first 100 bytes (SQLite's header): SQLite no longer sees a database (SQLITE_NOTADB). */
export function damageHeader(dbPath: string): void {
  const fd = fs.openSync(dbPath, 'r+');
  try {
    fs.writeSync(fd, Buffer.alloc(100, 0x5a), 0, 100, 0);
  } finally {
    fs.closeSync(fd);
  }
  for (const side of ['-wal', '-shm']) fs.rmSync(`${dbPath}${side}`, { force: true });
}

/** The files in a folder whose names start with `prefix`, sorted. */
export function filesIn(dir: string, prefix = ''): string[] {
  return fs.existsSync(dir)
    ? fs
        .readdirSync(dir)
        .filter((f) => f.startsWith(prefix))
        .sort()
    : [];
}

export interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

const TSX = path.join(REPO_ROOT, 'node_modules', '.bin', 'tsx');

/** Runs the `annot` CLI as a separate process (as a user next to the app would). */
export function annot(...args: string[]): Promise<Run> {
  return new Promise((resolve, reject) => {
    execFile(TSX, ['electron/cli/index.ts', ...args], { cwd: REPO_ROOT, timeout: 120_000, maxBuffer: 50 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (error && typeof error.code !== 'number') return reject(error);
      resolve({ code: error ? Number(error.code) : 0, stdout, stderr });
    });
  });
}

/** The JSON on the last line of a run's stdout. */
export const lastJson = <T>(r: Run): T => JSON.parse(r.stdout.trim().split('\n').at(-1)!) as T;
