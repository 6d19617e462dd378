import type { Command } from 'commander';
import {
  cohenKappaBetween,
  encodeRatings,
  fleissKappa,
  krippendorffAlpha,
  pairwiseCohenKappa,
  percentAgreement,
  type KappaWeights,
  type MeasurementLevel,
} from '../../../shared/domain/agreement';
import { readRatingsCsv } from '../../core/services/reports/ratingsFile';
import { printJson } from '../output';

const METRICS = ['percent', 'cohen', 'fleiss', 'alpha'] as const;
const LEVELS = ['nominal', 'ordinal', 'interval', 'ratio'] as const;
const WEIGHTS = ['linear', 'quadratic'] as const;

interface AgreementOptions {
  ratings: string;
  metric: string;
  level?: string;
  weights?: string;
  order?: string;
  json?: boolean;
}

export function registerAgreement(program: Command): void {
  program
    .command('agreement')
    .description('agreement between annotators in a ratings CSV (header item,<annotator>,…; one row per item; empty cell = missing)')
    .requiredOption('--ratings <file>', 'the ratings CSV')
    .requiredOption('--metric <metric>', 'percent, cohen, fleiss or alpha')
    .option('--level <level>', 'for alpha: nominal, ordinal, interval or ratio (default nominal)')
    .option('--weights <weights>', 'for cohen: linear or quadratic (default unweighted)')
    .option(
      '--order <categories>',
      'the scale, lowest first, comma-separated (for ordinal alpha and weighted kappa on labels; default: numeric, else sorted)',
    )
    .option('--json', 'print one JSON object')
    .action((opts: AgreementOptions) => {
      process.exitCode = runAgreement(opts);
    });
}

function runAgreement(opts: AgreementOptions): number {
  if (!(METRICS as readonly string[]).includes(opts.metric)) return usage(`unknown metric "${opts.metric}" (${METRICS.join(', ')})`);
  if (opts.level !== undefined && !(LEVELS as readonly string[]).includes(opts.level))
    return usage(`unknown level "${opts.level}" (${LEVELS.join(', ')})`);
  if (opts.weights !== undefined && !(WEIGHTS as readonly string[]).includes(opts.weights))
    return usage(`unknown weights "${opts.weights}" (${WEIGHTS.join(', ')})`);
  if (opts.level !== undefined && opts.metric !== 'alpha') return usage('--level applies to --metric alpha');
  if (opts.weights !== undefined && opts.metric !== 'cohen') return usage('--weights applies to --metric cohen');
  const ratings = readRatingsCsv(opts.ratings);
  const level = (opts.level ?? 'nominal') as MeasurementLevel;
  const weights = (opts.weights ?? 'unweighted') as KappaWeights;
  const order = opts.order ? opts.order.split(',').map((c) => c.trim()) : undefined;
  if (order) {
    const unknown = [...new Set(ratings.items.flatMap((i) => i.values.filter((v): v is string => typeof v === 'string' && !order.includes(v))))];
    if (unknown.length)
      return usage(
        `--order does not list ${unknown
          .slice(0, 5)
          .map((c) => `"${c}"`)
          .join(', ')}`,
      );
  }
  const coded = encodeRatings(ratings, order ? { categories: order } : {});
  const out: Record<string, unknown> = {
    metric: opts.metric,
    level,
    value: null,
    items: ratings.items.length,
    annotators: ratings.annotators.length,
  };
  let reason: string | null = null;
  if (opts.metric === 'percent') ({ value: out.value, reason } = percentAgreement(coded));
  else if (opts.metric === 'fleiss') ({ value: out.value, reason } = fleissKappa(coded));
  else if (opts.metric === 'alpha') ({ value: out.value, reason } = krippendorffAlpha(coded, level));
  else {
    if (weights !== 'unweighted') out.weights = weights;
    if (ratings.annotators.length === 2) ({ value: out.value, reason } = cohenKappaBetween(coded, 0, 1, { weights }));
    else {
      const pairs = pairwiseCohenKappa(coded, { weights });
      ({ value: out.value, reason } = pairs.mean);
      out.pairs = pairs.pairs.map((p) => ({ a: p.first, b: p.second, value: p.value }));
    }
  }
  if (out.value === null) out.reason = reason;
  if (opts.json) printJson(out);
  else {
    const name = { percent: 'percent agreement', cohen: "Cohen's kappa", fleiss: "Fleiss' kappa", alpha: "Krippendorff's alpha" }[
      opts.metric as (typeof METRICS)[number]
    ];
    const detail = opts.metric === 'alpha' ? ` (${level})` : opts.metric === 'cohen' && weights !== 'unweighted' ? ` (${weights} weights)` : '';
    console.log(
      `${name}${detail}: ${out.value === null ? `undefined (${reason})` : (out.value as number).toFixed(6)} — ${out.items} items, ${out.annotators} annotators`,
    );
    for (const p of (out.pairs as { a: string; b: string; value: number | null }[] | undefined) ?? []) {
      console.log(`  ${p.a} × ${p.b}: ${p.value === null ? 'undefined' : p.value.toFixed(6)}`);
    }
    if (out.pairs) console.log('  (value: the mean over pairs, Light’s kappa)');
  }
  return 0;
}

function usage(message: string): number {
  console.error(`annot agreement: ${message}`);
  return 2;
}
