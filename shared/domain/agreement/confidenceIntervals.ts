import { type BootstrapInterval, type BootstrapOptions, bootstrapGroups, type Resampling } from './bootstrap';
import { annotatorIndex, type EncodeOptions, type RatingsInput, toCodedRatings } from './codedRatings';
import { type TwoRaterOptions } from './cohenKappa';
import { kappaOfTable, pairTable } from './contingency';
import { fleissKappaOfPatterns } from './fleissKappa';
import { kappaDisagreementWeights } from './kappaWeights';
import { alphaOfPatterns, categoryValues, type MeasurementLevel } from './krippendorffAlpha';
import { type Category } from './ratings';
import { alphaOfFrequencies, fleissOfFrequencies } from './resampleStatistics';
import { undefinedBecause } from './result';
import { groupUnits } from './unitPatterns';

/** Bootstrap CI for Cohen's kappa between two annotators, resampling the items both rated. */
export function bootstrapCohenKappa<T extends Category>(
  data: RatingsInput<T>,
  first: string | number,
  second: string | number,
  options: TwoRaterOptions<T> & BootstrapOptions = {},
): BootstrapInterval {
  return bootstrapGroups(cohenResampling(data, first, second, options), options);
}

/** Bootstrap CI for Fleiss' kappa, resampling the items with at least two ratings. */
export function bootstrapFleissKappa<T extends Category>(data: RatingsInput<T>, options: BootstrapOptions = {}): BootstrapInterval {
  return bootstrapGroups(fleissResampling(data), options);
}

/**
 * Bootstrap CI for Krippendorff's alpha, resampling pairable units. Expected disagreement (and, for
 * ordinal data, the mid-rank scale) is recomputed from each resample, as the coefficient itself would be.
 */
export function bootstrapKrippendorffAlpha<T extends Category>(
  data: RatingsInput<T>,
  level: MeasurementLevel = 'nominal',
  options: EncodeOptions<T> & BootstrapOptions = {},
): BootstrapInterval {
  return bootstrapGroups(alphaResampling(data, level, options), options);
}

/** Cohen's kappa as a function of the k × k table of the items both annotators rated (the groups are its cells). */
export function cohenResampling<T extends Category>(
  data: RatingsInput<T>,
  first: string | number,
  second: string | number,
  options: TwoRaterOptions<T> = {},
): Resampling {
  const coded = toCodedRatings(data, options);
  const a = annotatorIndex(coded, first);
  const b = annotatorIndex(coded, second);
  if (a === b) throw new RangeError('kappa needs two different annotators');
  const k = coded.categories.length;
  const distance = kappaDisagreementWeights(options.weights ?? 'unweighted', k);
  const table = pairTable(coded, a, b);
  return {
    estimate: kappaOfTable(table, k, 'cohen', distance),
    frequency: table,
    statistic: (cells) => kappaOfTable(cells, k, 'cohen', distance).value,
  };
}

/** Fleiss' kappa as a function of how many pairable items have each count pattern. */
export function fleissResampling<T extends Category>(data: RatingsInput<T>): Resampling {
  const coded = toCodedRatings(data);
  if (coded.annotators.length < 2) return undefinedResampling();
  const patterns = groupUnits(coded);
  const estimate = fleissKappaOfPatterns(patterns, patterns.frequency, new Float64Array(patterns.nCategories));
  return { estimate, frequency: patterns.frequency, statistic: fleissOfFrequencies(patterns) };
}

/** Krippendorff's alpha as a function of how many pairable units have each count pattern. */
export function alphaResampling<T extends Category>(
  data: RatingsInput<T>,
  level: MeasurementLevel = 'nominal',
  options: EncodeOptions<T> = {},
): Resampling {
  const coded = toCodedRatings(data, options);
  if (coded.annotators.length < 2) return undefinedResampling();
  const patterns = groupUnits(coded);
  const values = categoryValues(coded, level);
  const estimate = alphaOfPatterns(patterns, patterns.frequency, level, values);
  return { estimate, frequency: patterns.frequency, statistic: alphaOfFrequencies(patterns, level, values) };
}

function undefinedResampling(): Resampling {
  return { estimate: undefinedBecause('too-few-annotators'), frequency: new Float64Array(0), statistic: () => null };
}
