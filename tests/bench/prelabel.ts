import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCore, type Core } from '../../electron/core';
import type { LabelingItem } from '../../shared/contract/schemas';
import { utterance } from './import-data';
import { fillProject } from './million';
import { median, percentile, round } from './stats';
import { ok } from './core';

/** One labeling decision at a time (apply + submit + next), timed, until `until` says stop. */
async function loop(core: Core, projectId: string, annotatorId: string, until: (i: number) => boolean): Promise<number[]> {
  const next = async (afterOrd: number) =>
    (await ok<LabelingItem | null>(core, 'labeling.next', { projectId, annotatorId, afterOrd, filter: { status: 'all' } })) ??
    (await ok<LabelingItem>(core, 'labeling.next', { projectId, annotatorId, afterOrd: 0, filter: { status: 'all' } }));
  let item = await next(0);
  const times: number[] = [];
  for (let i = 0; until(i); i++) {
    const t0 = performance.now();
    await ok(core, 'labeling.apply', {
      projectId,
      annotatorId,
      itemId: item.item.id,
      changes: [
        { kind: 'intents', value: ['投诉'] },
        { kind: 'status', value: 'submitted' },
      ],
    });
    item = await next(item.item.ord);
    times.push(performance.now() - t0);
    // An annotator's pace, not a tight loop: the job must get its turns as it would in the app.
    await new Promise((r) => setTimeout(r, 2));
  }
  return times;
}

/**
 * Pre-labeling 10,000 items (train heads, embed, classify, write suggestions) against the raw
 * feature-extraction throughput of the same model at the same batch size, in the same run; and the
 * labeling loop's core p95 while pre-labeling runs against idle. Budgets: ratio >= 0.85, p95 ratio <= 1.25.
 */
export async function benchPrelabel(args: string[]): Promise<Record<string, number>> {
  const items = Number(args.find((a) => a.startsWith('--items='))?.slice(8) ?? 10_000);
  const dir = mkdtempSync(join(tmpdir(), 'annot-bench-prelabel-'));
  try {
    const core = createCore({ dbPath: join(dir, 'workstation.db') });
    const project = await ok<{ id: string }>(core, 'projects.create', { name: 'bench' });
    fillProject(core.db, project.id, items);
    const texts = Array.from({ length: items }, (_, i) => utterance(i + 1));
    await core.model.embed(texts.slice(0, 64)); // load the model
    console.log(`raw feature extraction of ${items.toLocaleString()} texts …`);
    // Raw: the pipeline over the texts as they come, 32 at a time; and batched shortest first as the app does.
    let t0 = performance.now();
    await core.model.embed(texts, undefined, { inputOrder: true });
    const rawS = (performance.now() - t0) / 1000;
    console.log(`raw feature extraction, batches shortest first …`);
    t0 = performance.now();
    await core.model.embed(texts);
    const rawSortedS = (performance.now() - t0) / 1000;

    const annotator = await ok<{ id: string }>(core, 'annotators.create', { name: 'bench' });
    // Some labels so the heads are trained, as in a real project.
    const seedLabels = ['查询订单', '物流进度', '退换货', '投诉', '咨询活动', '支付问题', '账户问题'];
    for (let ord = 1; ord <= 70; ord++) {
      const item = (await ok<LabelingItem>(core, 'labeling.at', { projectId: project.id, annotatorId: annotator.id, ord }))!;
      await ok(core, 'labeling.apply', {
        projectId: project.id,
        annotatorId: annotator.id,
        itemId: item.item.id,
        changes: [
          { kind: 'intents', value: [seedLabels[ord % 7]] },
          { kind: 'sentiment', value: ['消极', '中性', '积极'][ord % 3] },
        ],
      });
    }
    const idle = await loop(core, project.id, annotator.id, (i) => i < 400);

    console.log(`pre-labeling ${items.toLocaleString()} items …`);
    t0 = performance.now();
    await ok(core, 'prelabel.start', { projectId: project.id });
    let running = true;
    const finished = core.prelabel.wait(project.id).then((s) => {
      running = false;
      return s;
    });
    const busy = await loop(core, project.id, annotator.id, () => running);
    const status = await finished;
    const prelabelS = (performance.now() - t0) / 1000;
    if (status?.state !== 'finished') throw new Error(`pre-labeling ${status?.state}: ${status?.error}`);
    core.close();
    return {
      items,
      raw_items_per_s: round(items / rawS, 1),
      prelabel_items_per_s: round(items / prelabelS, 1),
      ratio_vs_raw: round(rawS / prelabelS),
      raw_sorted_items_per_s: round(items / rawSortedS, 1),
      ratio_vs_raw_sorted: round(rawSortedS / prelabelS),
      loop_idle_p95_ms: round(percentile(idle, 95)),
      loop_busy_p95_ms: round(percentile(busy, 95)),
      loop_p95_ratio: round(percentile(busy, 95) / percentile(idle, 95), 2),
      loop_busy_p50_ms: round(median(busy)),
      loop_busy_samples: busy.length,
      suggestions: status.suggestions,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
