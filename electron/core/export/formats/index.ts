/**
 * The training-export format writers: `createWriter(format, path, options)` opens one file and
 * returns a streaming `FormatWriter` (await `write`'s promise when it returns one: that is the
 * file stream's backpressure). Formats and their files are described in each module:
 *
 * - hf-jsonl      hfJsonl.ts   JSON Lines for HF `datasets`, labels as names, code-point offsets
 * - parquet       parquet.ts   same records, explicit schema, class ids, snappy, bounded row groups
 * - conll         conll.ts     IOB2, one code point per line, whitespace skipped (decodeConll)
 * - spacy-jsonl   spacy.ts     JSONL for spacy_to_docbin.py (writeSpacyScript puts it in the bundle)
 * - chat-openai, sharegpt, alpaca   chat.ts   chat SFT; datasetInfo() for LLaMA-Factory
 * - csv           csv.ts       for people: BOM, formula cells neutralised
 *
 * features.ts holds `hfFeatures` (the Parquet `huggingface` metadata and the card's features).
 */
import type { ExportFormat, FormatWriter, WriterOptions } from '../types';
import { createChatWriter } from './chat';
import { createConllWriter } from './conll';
import { createCsvWriter } from './csv';
import { createHfJsonlWriter } from './hfJsonl';
import { createParquetWriter } from './parquet';
import { createSpacyWriter } from './spacy';

export function createWriter(format: ExportFormat, path: string, options: WriterOptions): FormatWriter {
  switch (format) {
    case 'hf-jsonl':
      return createHfJsonlWriter(path, options);
    case 'parquet':
      return createParquetWriter(path, options);
    case 'conll':
      return createConllWriter(path, options);
    case 'spacy-jsonl':
      return createSpacyWriter(path, options);
    case 'chat-openai':
    case 'sharegpt':
    case 'alpaca':
      return createChatWriter(format, path, options);
    case 'csv':
      return createCsvWriter(path, options);
    default: {
      const never: never = format;
      throw new Error(`unknown export format ${String(never)}`);
    }
  }
}

export { hfFeatures, hfFeaturesYaml, huggingfaceMetadata, exportColumns } from './features';
export { datasetInfo, type ChatFile, type LlamaFactoryDataset } from './chat';
export { decodeConll } from './conll';
export { writeSpacyScript, SPACY_SCRIPT_NAME } from './spacy';
export { DEFAULT_ROW_GROUP_SIZE } from './parquet';
