import type { Command } from 'commander';
import { openDatabase, type DB } from '../../core/db/open';
import { readLabeledTexts } from '../../core/ml/dataset';
import { embedTexts } from '../../core/ml/embedTexts';
import { evaluateClassifier } from '../../core/ml/evaluate';
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
    .option('--test <file>', 'held-out file in the same format (default: k-fold on --train)')
    .option('--per-class <n>', 'train on n examples per label (few-shot)')
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
  const task = opts.task === 'intents' ? 'intent' : opts.task;
  if (task !== 'intent' && task !== 'sentiment') {
    console.error(`annot evaluate: --task ${opts.task} is not supported yet (intent, sentiment)`);
    return 2;
  }
  const host = new ModelHost({ modelRoot: opts.modelDir ?? defaultModelRoot() });
  const status = host.check();
  if (status.state !== 'ready') {
    console.error(`annot evaluate: the local model is ${status.state}: ${status.message}`);
    return 1;
  }
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
