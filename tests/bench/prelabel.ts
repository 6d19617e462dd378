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

/** Some labels so the heads are trained, as in a real project. */
async function seedLabels(core: Core, projectId: string, annotatorId: string): Promise<void> {
  const intents = ['查询订单', '物流进度', '退换货', '投诉', '咨询活动', '支付问题', '账户问题'];
  for (let ord = 1; ord <= 70; ord++) {
    const item = (await ok<LabelingItem>(core, 'labeling.at', { projectId, annotatorId, ord }))!;
    await ok(core, 'labeling.apply', {
      projectId,
      annotatorId,
      itemId: item.item.id,
      changes: [
        { kind: 'intents', value: [intents[ord % 7]] },
        { kind: 'sentiment', value: ['消极', '中性', '积极'][ord % 3] },
      ],
    });
  }
}

/** A project of `items` new texts (none embedded yet), with seed labels, and its annotator. */
async function freshProject(core: Core, name: string, items: number, offset: number): Promise<{ projectId: string; annotatorId: string }> {
  const project = await ok<{ id: string }>(core, 'projects.create', { name });
  fillProject(core.db, project.id, items, offset);
  const annotator = await ok<{ id: string }>(core, 'annotators.create', { name: `${name}-annotator` });
  await seedLabels(core, project.id, annotator.id);
  return { projectId: project.id, annotatorId: annotator.id };
}

/** Runs a pre-labeling job to its end; seconds. */
async function prelabel(
  core: Core,
  projectId: string,
  during?: (running: () => boolean) => Promise<unknown>,
): Promise<{ seconds: number; suggestions: number }> {
  const t0 = performance.now();
  await ok(core, 'prelabel.start', { projectId });
  let running = true;
  const finished = core.prelabel.wait(projectId).then((s) => {
    running = false;
    return s;
  });
  await during?.(() => running);
  const status = await finished;
  if (status?.state !== 'finished') throw new Error(`pre-labeling ${status?.state}: ${status?.error}`);
  return { seconds: (performance.now() - t0) / 1000, suggestions: status.suggestions };
}

/**
 * Pre-labeling 10,000 items (train heads, embed, classify, write suggestions) against the raw
 * feature-extraction throughput of the same model at the same batch size, measured right before and
 * right after in the same run (their mean is the baseline); then,
 * on a second project of 10,000 other texts, the labeling loop's core p95 while pre-labeling runs
 * against idle. Budgets: ratio >= 0.85, p95 ratio <= 1.25.
 */
export async function benchPrelabel(args: string[]): Promise<Record<string, number>> {
  const items = Number(args.find((a) => a.startsWith('--items='))?.slice(8) ?? 10_000);
  const dir = mkdtempSync(join(tmpdir(), 'annot-bench-prelabel-'));
  try {
    const core = createCore({ dbPath: join(dir, 'workstation.db') });
    const throughput = await freshProject(core, 'throughput', items, 0);
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
    console.log(`pre-labeling ${items.toLocaleString()} items …`);
    const alone = await prelabel(core, throughput.projectId);
    // Raw again after the job, so a machine that got slower or faster meanwhile moves both sides alike.
    console.log(`raw feature extraction again …`);
    t0 = performance.now();
    await core.model.embed(texts, undefined, { inputOrder: true });
    const rawAfterS = (performance.now() - t0) / 1000;
    const rawMeanS = (rawS + rawAfterS) / 2;

    const loopProject = await freshProject(core, 'loop', items, items);
    const idle = await loop(core, loopProject.projectId, loopProject.annotatorId, (i) => i < 1500);
    console.log(`pre-labeling ${items.toLocaleString()} other items while an annotator labels …`);
    let busy: number[] = [];
    const withLoop = await prelabel(core, loopProject.projectId, async (running) => {
      busy = await loop(core, loopProject.projectId, loopProject.annotatorId, running);
    });
    core.close();
    return {
      items,
      raw_items_per_s: round(items / rawMeanS, 1),
      prelabel_items_per_s: round(items / alone.seconds, 1),
      ratio_vs_raw: round(rawMeanS / alone.seconds),
      raw_before_items_per_s: round(items / rawS, 1),
      raw_after_items_per_s: round(items / rawAfterS, 1),
      raw_sorted_items_per_s: round(items / rawSortedS, 1),
      ratio_vs_raw_sorted: round(rawSortedS / alone.seconds),
      prelabel_with_loop_items_per_s: round(items / withLoop.seconds, 1),
      loop_idle_p95_ms: round(percentile(idle, 95)),
      loop_busy_p95_ms: round(percentile(busy, 95)),
      loop_p95_ratio: round(percentile(busy, 95) / percentile(idle, 95), 2),
      loop_busy_p50_ms: round(median(busy)),
      loop_busy_samples: busy.length,
      suggestions: alone.suggestions,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
