import fs from 'node:fs';
import path from 'node:path';
import { strFromU8, unzipSync } from 'fflate';
import { monotonicFactory } from 'ulid';
import { onTestFinished } from 'vitest';
import { createCore, type Core } from '../../../electron/core';
import { fileKeyStore, workstationSigner, type Signer } from '../../../electron/core/packs/keys';
import type { Runtime } from '../../../electron/core/runtime';
import { call, freshDir, jsonl, writeFile } from '../helpers';

/** A runtime whose clock the test moves. */
export function clockRuntime(start = new Date('2026-12-01T08:00:00Z')): Runtime & { set(d: Date): void; advanceDays(n: number): void } {
  let now = start;
  const ulid = monotonicFactory();
  return {
    now: () => now,
    newId: () => ulid(now.getTime()),
    set: (d) => (now = d),
    advanceDays: (n) => (now = new Date(now.getTime() + n * 86_400_000)),
  };
}

export interface Workstation {
  core: Core;
  dbPath: string;
  dir: string;
  rt: ReturnType<typeof clockRuntime>;
  signer: Signer;
  close(): void;
}

/** A workstation: its own database and key, a clock of its own. */
export function workstation(name: string, rt = clockRuntime()): Workstation {
  const dir = freshDir(`annot-pack-${name}-`);
  const dbPath = path.join(dir, `${name}.db`);
  const core = createCore({ dbPath, runtime: rt });
  let open = true;
  const close = () => {
    if (open) core.close();
    open = false;
  };
  onTestFinished(close);
  return { core, dbPath, dir, rt, signer: workstationSigner(fileKeyStore(dbPath)), close };
}

export const INTENTS = ['查询订单', '退换货', '投诉', '发票'];

/** The lead's project: `items` items in 6 dialogues, and `gold` gold items with their answers (annotator "gold"). */
export async function leadProject(lead: Workstation, items = 30, gold = 6): Promise<string> {
  const project = await call<{ id: string }>(lead.core, 'projects.create', {
    name: '售后',
    schema: { intents: { labels: INTENTS.map((name) => ({ name })) }, sentiment: { levels: [{ name: '消极', value: 0 }, { name: '中性', value: 1 }] } },
  });
  const rows = [
    ...Array.from({ length: items }, (_, i) => ({
      text: i === 0 ? '我的电话是13812345678，订单到哪了' : `第${i + 1}句：我的订单${1000 + i}怎么还没到`,
      meta: { dialogue_id: `d${i % 6}`, turn: Math.floor(i / 6), channel: i % 2 ? 'app' : 'web', secret: 'internal' },
    })),
    ...Array.from({ length: gold }, (_, i) => ({ text: `考核题${i + 1}：发票怎么开`, gold: true, intent: INTENTS[i % INTENTS.length], annotator: 'gold' })),
  ];
  const file = writeFile(lead.dir, 'items.jsonl', jsonl(rows));
  const status = await lead.core.imports.run({ projectId: project.id, filePath: file, format: 'jsonl', onBadLines: 'abort' });
  if (status.state !== 'committed') throw new Error(`import ${status.state}`);
  return project.id;
}

/** Every entry of a ZIP archive, decompressed, as text. */
export function zipEntries(bytes: Uint8Array): Record<string, string> {
  return Object.fromEntries(Object.entries(unzipSync(bytes)).map(([name, data]) => [name, strFromU8(data)]));
}

/** Where each entry's (compressed) data lies in a ZIP file, from its local file headers. */
export function entryDataRanges(bytes: Uint8Array): { name: string; start: number; end: number }[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out: { name: string; start: number; end: number }[] = [];
  let at = 0;
  while (at + 30 <= bytes.length && view.getUint32(at, true) === 0x04034b50) {
    const size = view.getUint32(at + 18, true);
    const nameLength = view.getUint16(at + 26, true);
    const extra = view.getUint16(at + 28, true);
    const name = strFromU8(bytes.subarray(at + 30, at + 30 + nameLength));
    const start = at + 30 + nameLength + extra;
    out.push({ name, start, end: start + size });
    at = start + size;
  }
  return out;
}

export function readPack(file: string): Uint8Array {
  return fs.readFileSync(file);
}
