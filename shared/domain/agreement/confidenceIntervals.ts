import { type BootstrapInterval, type BootstrapOptions, bootstrapGroups } from './bootstrap';
import { annotatorIndex, type EncodeOptions, type RatingsInput, toCodedRatings } from './codedRatings';
import { type TwoRaterOptions } from './cohenKappa';
import { kappaOfTable, pairCells, pairTable } from './contingency';
import { fleissKappaOfPatterns } from './fleissKappa';
import { kappaDisagreementWeights } from './kappaWeights';
import { alphaOfPatterns, categoryValues, type MeasurementLevel } from './krippendorffAlpha';
import { type Category } from './ratings';
import { undefinedBecause } from './result';
import { groupUnits, patternCount } from './unitPatterns';

/** Bootstrap CI for Cohen's kappa between two annotators, resampling the items both rated. */
export function bootstrapCohenKappa<T extends Category>(
  data: RatingsInput<T>,
  first: string | number,
  second: string | number,
  options: TwoRaterOptions<T> & BootstrapOptions = {},
): BootstrapInterval {
  const coded = toCodedRatings(data, options);
  const a = annotatorIndex(coded, first);
  const b = annotatorIndex(coded, second);
  if (a === b) throw new RangeError('kappa needs two different annotators');
  const k = coded.categories.length;
  const distance = kappaDisagreementWeights(options.weights ?? 'unweighted', k);
  const estimate = kappaOfTable(pairTable(coded, a, b), k, 'cohen', distance);
  return bootstrapGroups(pairCells(coded, a, b), k * k, estimate, (cells) => kappaOfTable(cells, k, 'cohen', distance).value, options);
}

/** Bootstrap CI for Fleiss' kappa, resampling the items with at least two ratings. */
export function bootstrapFleissKappa<T extends Category>(data: RatingsInput<T>, options: BootstrapOptions = {}): BootstrapInterval {
  const coded = toCodedRatings(data);
  if (coded.annotators.length < 2) return bootstrapGroups(new Int32Array(0), 0, undefinedBecause('too-few-annotators'), () => null, options);
  const patterns = groupUnits(coded);
  const scratch = new Float64Array(patterns.nCategories);
  const estimate = fleissKappaOfPatterns(patterns, patterns.frequency, scratch);
  return bootstrapGroups(patterns.unitPattern, patternCount(patterns), estimate, (f) => fleissKappaOfPatterns(patterns, f, scratch).value, options);
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
  const coded = toCodedRatings(data, options);
  if (coded.annotators.length < 2) return bootstrapGroups(new Int32Array(0), 0, undefinedBecause('too-few-annotators'), () => null, options);
  const patterns = groupUnits(coded);
  const values = categoryValues(coded, level);
  const estimate = alphaOfPatterns(patterns, patterns.frequency, level, values);
  return bootstrapGroups(patterns.unitPattern, patternCount(patterns), estimate, (f) => alphaOfPatterns(patterns, f, level, values).value, options);
}
