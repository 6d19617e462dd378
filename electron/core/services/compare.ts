import { AppError } from '../../../shared/contract/errors';
import type { ComparedVersion, ModelComparison } from '../../../shared/contract/schemas';
import type { DB } from '../db/open';
import { classifierById, listModelVersions, type ModelVersionRow } from '../db/repos/modelVersions';
import { currentSchema, getProject } from '../db/repos/projects';
import { embedTexts } from '../ml/embedTexts';
import { classificationReport, mcnemar, type ClassificationReport } from '../ml/metrics';
import type { ModelHost } from '../ml/modelHost';
import { classify, type TextClassifier } from '../ml/textClassifier';
import { labeledExamples, labeledItemsAt, taskLabels, type HeadTask } from './trainingData';

/** The significance level of a comparison's verdict. */
export const COMPARE_ALPHA = 0.05;

export type CompareScope = 'held-out' | 'all';

export interface CompareOptions {
  signal?: AbortSignal | undefined;
  /**
   * 'held-out' (default): only items neither version was trained on, so neither is flattered;
   * 'all': every labeled item (the result then says how many each version was trained on).
   */
  scope?: CompareScope | undefined;
}

/**
 * Scores two versions of the same head (same project, same task) on every item people labeled for
 * that task — the majority label over annotators, as the heads are trained — and tests the
 * difference with McNemar's test on per-item correctness.
 *
 * Both versions are scored over the same labels (every label that is some item's human label or
 * either version's prediction, in the schema's order), so their macro-F1 averages over the same
 * set and their confusion matrices line up; each matrix sums to n.
 *
 * The evaluation items are the labeled items, so a supervised version was trained on some of them
 * (all those labeled when it was trained). Which ones is replayed from the annotation log; when
 * that does not reproduce the stored training count, the count is reported as an upper bound and
 * the caveat says so.
 */
export async function compareVersions(
  db: DB,
  host: ModelHost,
  projectId: string,
  aId: string,
  bId: string,
  options: CompareOptions = {},
): Promise<ModelComparison> {
  getProject(db, projectId);
  if (aId === bId) throw new AppError('VALIDATION', 'pick two different versions to compare', { versionId: aId });
  const a = loadVersion(db, projectId, aId, host.modelId);
  const b = loadVersion(db, projectId, bId, host.modelId);
  const task = a.row.task;
  if (b.row.task !== task) {
    throw new AppError('VALIDATION', `v${a.row.version} is a ${task} head and v${b.row.version} a ${b.row.task} head: compare versions of one task`, {
      a: task,
      b: b.row.task,
    });
  }
  const schema = currentSchema(db, projectId);
  const labeled = labeledExamples(db, projectId, task, schema);
  if (!labeled.length) throw new AppError('VALIDATION', `nobody has labeled any item's ${task} yet: there is nothing to compare on`, { task });
  const scope = options.scope ?? 'held-out';
  const heldOut = heldOutItems(db, [a.row, b.row], labeled);
  if (scope === 'held-out' && !heldOut.ok) throw new AppError('VALIDATION', heldOut.reason, { scope, heldOut: 0 });
  const examples = scope === 'held-out' && heldOut.ok ? heldOut.examples : labeled;

  const vectors = await embedTexts(
    host,
    examples.map((e) => e.text),
    { cache: db, signal: options.signal },
  );
  for (const v of [a, b]) {
    if (v.classifier.mean.length !== vectors[0]!.length) {
      throw new AppError(
        'VALIDATION',
        `v${v.row.version} expects ${v.classifier.mean.length}-dimensional vectors, the model gives ${vectors[0]!.length}`,
      );
    }
  }
  const truth = examples.map((e) => e.label);
  const predA = vectors.map((x) => classify(a.classifier, x).label);
  const predB = vectors.map((x) => classify(b.classifier, x).label);
  const labels = orderedLabels(taskLabels(schema, task), [...truth, ...predA, ...predB]);
  const reportA = classificationReport(truth, predA, labels);
  const reportB = classificationReport(truth, predB, labels);
  const correctA = predA.map((p, i) => p === truth[i]);
  const correctB = predB.map((p, i) => p === truth[i]);
  const test = mcnemar(correctA, correctB);
  const verdict: ModelComparison['verdict'] = test.pValue < COMPARE_ALPHA && test.b !== test.c ? (test.b > test.c ? 'a' : 'b') : 'tie';

  const itemIds = new Set(examples.map((e) => e.itemId));
  const sideA = side(a.row, reportA, correctA, trainingItems(db, a.row, itemIds));
  const sideB = side(b.row, reportB, correctB, trainingItems(db, b.row, itemIds));
  const n = examples.length;
  return {
    projectId,
    task,
    n,
    scope,
    labeled: labeled.length,
    heldOut: heldOut.ok ? heldOut.examples.length : 0,
    a: sideA,
    b: sideB,
    mcnemar: test,
    alpha: COMPARE_ALPHA,
    verdict,
    summary: summarize(sideA, sideB, test, verdict, n),
    includesTrainingItems: sideA.trainingItems.count > 0 || sideB.trainingItems.count > 0,
    caveat: caveat(sideA, sideB, n),
  };
}

function loadVersion(
  db: DB,
  projectId: string,
  id: string,
  embedder: string,
): { row: ModelVersionRow & { task: HeadTask }; classifier: TextClassifier } {
  const entity = listModelVersions(db, projectId).find((m) => m.id === id && m.task === 'entities');
  if (entity) {
    throw new AppError(
      'VALIDATION',
      `entities v${entity.version} is a token-level head: compare intent or sentiment versions (entity heads are scored by span F1 with annot evaluate --task entities)`,
      {
        versionId: id,
      },
    );
  }
  const v = classifierById(db, id) as { row: ModelVersionRow & { task: HeadTask }; classifier: TextClassifier } | null;
  if (!v) throw new AppError('NOT_FOUND', `no model version with id ${id}`, { versionId: id });
  if (v.row.projectId !== projectId) {
    throw new AppError('VALIDATION', `model version ${id} belongs to another project`, { versionId: id, projectId: v.row.projectId });
  }
  if (v.row.embedder !== embedder) {
    throw new AppError('VALIDATION', `v${v.row.version} was trained on vectors of ${v.row.embedder}, but the local model is ${embedder}`, {
      versionId: id,
      embedder: v.row.embedder,
    });
  }
  return v;
}

/** The schema's labels that occur, in its order, then any others (labels since removed) sorted. */
function orderedLabels(schemaOrder: string[], occurring: string[]): string[] {
  const present = new Set(occurring);
  const known = schemaOrder.filter((l) => present.has(l));
  const rest = [...present].filter((l) => !schemaOrder.includes(l)).sort();
  return [...known, ...rest];
}

/**
 * The labeled items neither version was trained on (zero-shot versions were trained on none),
 * or why there are none to compare on.
 */
function heldOutItems<E extends { itemId: string }>(
  db: DB,
  versions: (ModelVersionRow & { task: HeadTask })[],
  labeled: E[],
): { ok: true; examples: E[] } | { ok: false; reason: string } {
  const trained = new Set<string>();
  for (const v of versions) {
    if (sourceOf(v) === 'zero-shot') continue;
    const items = labeledItemsAt(db, v.projectId, v.task, v.createdAt);
    if (!items || items.size !== v.trainedOn) {
      return {
        ok: false,
        reason: `which items v${v.version} was trained on cannot be told from what is stored: compare on all labeled items instead`,
      };
    }
    for (const id of items) trained.add(id);
  }
  const examples = labeled.filter((e) => !trained.has(e.itemId));
  if (!examples.length) {
    const newest = versions.reduce((x, y) => (y.createdAt > x.createdAt ? y : x));
    return {
      ok: false,
      reason: `every labeled item was used to train v${versions[0]!.version} or v${versions[1]!.version}: label items after v${newest.version} was trained to compare them held-out, or compare on all labeled items`,
    };
  }
  return { ok: true, examples };
}

const sourceOf = (row: ModelVersionRow): string => (typeof row.metrics.source === 'string' ? row.metrics.source : 'supervised');

/**
 * How many of the evaluation items the version was trained on. A zero-shot head learned from the
 * schema's descriptions and examples, not from items. A supervised head learned from every item
 * labeled when it was trained; replaying the annotation log to that moment gives those items, and
 * when their number is the stored training count the overlap is exact. Otherwise (clock skew,
 * labels removed and re-added in the same millisecond, a future training source that samples)
 * the stored count caps it.
 */
function trainingItems(db: DB, row: ModelVersionRow & { task: HeadTask }, evaluation: Set<string>): ComparedVersion['trainingItems'] {
  if (sourceOf(row) === 'zero-shot') return { count: 0, exact: true };
  const trained = labeledItemsAt(db, row.projectId, row.task, row.createdAt);
  if (trained && trained.size === row.trainedOn) {
    let count = 0;
    for (const id of trained) if (evaluation.has(id)) count++;
    return { count, exact: true };
  }
  return { count: Math.min(row.trainedOn, evaluation.size), exact: false };
}

function side(row: ModelVersionRow, report: ClassificationReport, correct: boolean[], training: ComparedVersion['trainingItems']): ComparedVersion {
  return {
    id: row.id,
    version: row.version,
    kind: row.kind,
    source: sourceOf(row),
    trainedOn: row.trainedOn,
    createdAt: row.createdAt,
    correct: correct.filter(Boolean).length,
    accuracy: report.accuracy,
    macroF1: report.macroF1,
    perLabel: report.perLabel,
    confusion: report.confusion,
    trainingItems: training,
  };
}

const p3 = (p: number): string => (p < 0.001 ? p.toExponential(1) : p.toFixed(3));

function summarize(a: ComparedVersion, b: ComparedVersion, test: ModelComparison['mcnemar'], verdict: ModelComparison['verdict'], n: number): string {
  const method = `McNemar ${test.exact ? 'exact' : 'chi-square'} p = ${p3(test.pValue)}`;
  const split = `v${a.version} alone is right on ${test.b} items, v${b.version} alone on ${test.c}`;
  if (verdict === 'tie') {
    if (test.b + test.c === 0) return `No difference: v${a.version} and v${b.version} are right and wrong on exactly the same of the ${n} items.`;
    return `No significant difference on ${n} items: ${split} (${method} ≥ ${COMPARE_ALPHA}).`;
  }
  const [better, worse] = verdict === 'a' ? [a, b] : [b, a];
  return `v${better.version} is better than v${worse.version} on ${n} items: ${split} (${method} < ${COMPARE_ALPHA}).`;
}

function caveat(a: ComparedVersion, b: ComparedVersion, n: number): string | null {
  const parts = [a, b]
    .filter((v) => v.trainingItems.count > 0)
    .map((v) =>
      v.trainingItems.exact
        ? `v${v.version} was trained on ${v.trainingItems.count} of the ${n} evaluation items`
        : `v${v.version} was trained on ${v.trainedOn} labeled items, but which ones cannot be told from what is stored, so up to ${v.trainingItems.count} of the ${n} evaluation items may be among them`,
    );
  if (!parts.length) return null;
  return `${parts.join('; ')}. Scores on items a version was trained on flatter it, so this is not a held-out comparison: a version trained on more of these items has an edge.`;
}
