/**
 * What the export writes: one record per item that survives the label policy, dedup and
 * redaction, and the writers that turn records into one file each.
 */

/** A span in Unicode code points, end-exclusive, with the text it covers (checked before writing). */
export interface ExportSpan {
  start: number;
  end: number;
  label: string;
  text: string;
}

export interface ChatTurn {
  role: 'user' | 'assistant';
  content: string;
}

export interface ExportRecord {
  id: string;
  text: string;
  /** Single-label schemas. */
  intent?: string | null;
  /** Multi-label schemas. */
  intents?: string[];
  sentiment: string | null;
  entities: ExportSpan[];
  dialogue_id?: string | null;
  turn?: number | null;
  /** Earlier turns of the dialogue, oldest first (for chat SFT formats). */
  context: ChatTurn[];
  /** The metadata fields the lead chose to keep. */
  meta: Record<string, string | number | boolean | null>;
}

/** The label names of the schema version exported (class labels are their indices, from 0). */
export interface ExportFeatures {
  multiLabel: boolean;
  intents: string[];
  sentiments: string[];
  entityTypes: string[];
  /** Chosen metadata fields and their types. */
  meta: { name: string; type: 'string' | 'number' | 'boolean' }[];
  dialogue: boolean;
}

export type ExportFormat = 'hf-jsonl' | 'parquet' | 'conll' | 'spacy-jsonl' | 'chat-openai' | 'sharegpt' | 'alpaca' | 'csv';

export interface WriterOptions {
  features: ExportFeatures;
  /** The system prompt of chat SFT formats (a project setting). */
  systemPrompt: string;
  /** Rows per Parquet row group (bounded). */
  rowGroupSize?: number;
}

/** Writes one file; `write` may be called a million times, so it streams. */
export interface FormatWriter {
  write(record: ExportRecord): void | Promise<void>;
  /** Flushes and closes the file; resolves to the number of rows written. */
  close(): Promise<number>;
  /** Stops without finishing (cancel, error): closes the file handle, leaves removal to the caller. */
  abort(): Promise<void>;
}

/** File name extension per format (train.jsonl, train.parquet, train.conll …). */
export const FORMAT_FILE: Record<ExportFormat, { suffix: string }> = {
  'hf-jsonl': { suffix: '.jsonl' },
  parquet: { suffix: '.parquet' },
  conll: { suffix: '.conll' },
  'spacy-jsonl': { suffix: '.spacy.jsonl' },
  'chat-openai': { suffix: '.chat.jsonl' },
  sharegpt: { suffix: '.sharegpt.jsonl' },
  alpaca: { suffix: '.alpaca.jsonl' },
  csv: { suffix: '.csv' },
};
