import type { Command } from 'commander';
import { openDatabase, type DB } from '../../core/db/open';
import { readLabeledTexts, readSpanExamples } from '../../core/ml/dataset';
import { embedTexts } from '../../core/ml/embedTexts';
import { evaluateClassifier } from '../../core/ml/evaluate';
import { evaluateEntities, splitExamples } from '../../core/ml/evaluateEntities';
import { ModelHost, defaultModelRoot } from '../../core/ml/modelHost';
import { printJson } from '../output';

interface EvaluateOptions {
  task: string;
  train: string;
  test?: string;
  perClass?: string;
  folds?: string;
  seed?: string;
  textColumn?: string;
  labelColumn?: string;
  cache?: string;
  modelDir?: string;
  json?: boolean;
}

export function registerEvaluate(program: Command): void {
  program
    .command('evaluate')
    .description('train exactly as the app does on a labeled file and score it on another (or by k-fold)')
    .requiredOption('--task <task>', 'intent, sentiment or entities')
    .requiredOption('--train <file>', 'TSV/CSV with a header holding text and label columns (JSONL with entities for --task entities)')
    .option('--test <file>', 'held-out file in the same format (default: k-fold on --train; for entities a seeded 80/20 split)')
    .option('--per-class <n>', 'train on n examples per label (few-shot; for entities n sentences containing each label)')
    .option('--folds <k>', 'folds without --test', '5')
    .option('--seed <n>', 'random seed for sampling and folds', '1')
    .option('--text-column <name>', 'the text column (default: text, review, sentence …)')
    .option('--label-column <name>', 'the label column (default: label, category …)')
    .option('--cache <db>', 'a SQLite file to cache embeddings in between runs')
    .option('--model-dir <dir>', 'folder holding <org>/<model> (default: resources/models)')
    .option('--json', 'print one JSON object')
    .action(async (opts: EvaluateOptions) => {
      process.exitCode = await runEvaluate(opts);
    });
}

async function runEvaluate(opts: EvaluateOptions): Promise<number> {
  const task = opts.task === 'intents' ? 'intent' : opts.task === 'entity' ? 'entities' : opts.task;
  if (task !== 'intent' && task !== 'sentiment' && task !== 'entities') {
    console.error(`annot evaluate: --task ${opts.task} is not supported (intent, sentiment, entities)`);
    return 2;
  }
  const host = new ModelHost({ modelRoot: opts.modelDir ?? defaultModelRoot() });
  const status = host.check();
  if (status.state !== 'ready') {
    console.error(`annot evaluate: the local model is ${status.state}: ${status.message}`);
    return 1;
  }
  if (task === 'entities') return runEvaluateEntities(opts, host);
  const cache: DB | undefined = opts.cache ? openDatabase(opts.cache) : undefined;
  try {
    const started = performance.now();
    const columns = { ...(opts.textColumn ? { text: opts.textColumn } : {}), ...(opts.labelColumn ? { label: opts.labelColumn } : {}) };
    const trainRows = readLabeledTexts(opts.train, columns);
    const testRows = opts.test ? readLabeledTexts(opts.test, columns) : null;
    const progress =
      !opts.json && process.stderr.isTTY ? (done: number, total: number) => process.stderr.write(`\r\x1b[Kembedding ${done}/${total}`) : undefined;
    const trainVectors = await embedTexts(
      host,
      trainRows.map((r) => r.text),
      { cache, onProgress: progress },
    );
    const testVectors = testRows
      ? await embedTexts(
          host,
          testRows.map((r) => r.text),
          { cache, onProgress: progress },
        )
      : null;
    if (progress) process.stderr.write('\r\x1b[K');
    const result = evaluateClassifier(
      { rows: trainRows, vectors: trainVectors },
      testRows && testVectors ? { rows: testRows, vectors: testVectors } : null,
      { perClass: opts.perClass ? Number(opts.perClass) : undefined, folds: Number(opts.folds ?? 5), seed: Number(opts.seed ?? 1) },
    );
    const out = { task, ...result, seconds: Math.round((performance.now() - started) / 100) / 10 };
    if (opts.json) printJson(out);
    else
      console.log(
        `${task}: accuracy ${result.accuracy.toFixed(4)}, macro-F1 ${result.macro_f1.toFixed(4)} on ${result.n} texts${result.folds ? ` (${result.folds}-fold)` : ''}`,
      );
    return 0;
  } finally {
    cache?.close();
    await host.close();
  }
}

/** --task entities: JSONL {"text", "entities"}; without --test a seeded 80/20 split of --train. */
async function runEvaluateEntities(opts: EvaluateOptions, host: ModelHost): Promise<number> {
  const seed = Number(opts.seed ?? 1);
  const perClass = opts.perClass ? Number(opts.perClass) : undefined;
  if (!Number.isInteger(seed) || (perClass !== undefined && !(Number.isInteger(perClass) && perClass > 0))) {
    console.error('annot evaluate: --seed and --per-class must be integers (--per-class > 0)');
    return 2;
  }
  try {
    const started = performance.now();
    const all = readSpanExamples(opts.train);
    const { train, test } = opts.test ? { train: all, test: readSpanExamples(opts.test) } : splitExamples(all, 0.2, seed);
    const tty = !opts.json && process.stderr.isTTY;
    const stages = { train: 'embedding training texts', fit: 'training, iteration', test: 'predicting' } as const;
    const result = await evaluateEntities(train, test, host, {
      perClass,
      seed,
      onProgress: tty ? (stage, done, total) => process.stderr.write(`\r\x1b[K${stages[stage]} ${done}${total ? `/${total}` : ''}`) : undefined,
    });
    if (tty) process.stderr.write('\r\x1b[K');
    const out = {
      task: 'entities',
      ...result,
      ...(opts.test ? {} : { split: '80/20' }),
      seconds: Math.round((performance.now() - started) / 100) / 10,
    };
    if (opts.json) printJson(out);
    else
      console.log(
        `entities: span precision ${result.precision.toFixed(4)}, recall ${result.recall.toFixed(4)}, F1 ${result.f1.toFixed(4)} (exact match) on ${result.n} texts, trained on ${result.train_texts}`,
      );
    return 0;
  } finally {
    await host.close();
  }
}
