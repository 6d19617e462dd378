/**
 * PII redaction for mainland-Chinese customer-service text (mobile, landline, resident ID, bank
 * card, e-mail, plus entity spans the schema marks personal). Pure functions, no I/O: the import,
 * pack and export paths call `redactText` with the project's mode and key.
 */
export { detectPii, isValidPii, PII_TYPES, type Detection, type DetectOptions, type PiiType } from './recognizers';
export {
  DEFAULT_PLACEHOLDERS,
  redactText,
  type LabelledSpan,
  type RedactionMode,
  type RedactOptions,
  type RedactResult,
  type Replacement,
} from './redact';
export {
  personalEntityTypes,
  personalRegions,
  remapOffset,
  remapSpan,
  remapSpans,
  type PersonalRegion,
  type ReplacementOffsets,
  type SpanLike,
} from './spans';
export { generatePseudonymKey, type PseudonymKey } from './surrogates';
export { cardNetwork, isBankCard, isMobile, isResidentId, luhnValid, parseLandline, residentIdCheckChar, residentIdProblem } from './checks';
