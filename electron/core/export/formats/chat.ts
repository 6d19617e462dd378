/**
 * Chat SFT formats: the labelled utterance as the last user turn of its dialogue, the assistant
 * answering with the labels as JSON.
 *
 * Conversation: the dialogue's earlier turns (`record.context`, oldest first), then the item's text
 * as a user turn. Consecutive turns of one speaker are merged (joined with `\n`) so roles alternate
 * — which also merges the item's text with customer turns right before it. Turns before the first
 * user turn (an agent's greeting) are dropped: LLaMA-Factory rejects a conversation whose first
 * turn is not the user's. Empty turns are skipped. The system prompt is the project setting
 * `systemPrompt`; when it is empty there is no system message.
 *
 * Answer: `{"intent": …}` (or `"intents": […]` for multi-label schemas), `"sentiment": …`,
 * `"entities": [{"text", "label"}]` — surface strings, not offsets (a language model cannot count
 * code points; the offsets are in the hf-jsonl export). A key is left out when the schema has no
 * labels of that kind.
 *
 * Formats:
 * - `chat-openai`: `{"messages": [{"role", "content"}…]}`; the context's assistant turns carry
 *   `"weight": 0` so OpenAI fine-tuning learns only the answer.
 * - `sharegpt` (LLaMA-Factory): `{"id", "conversations": [{"from": "human"|"gpt", "value"}…],
 *   "system"}`. LLaMA-Factory trains on every gpt turn unless `mask_history: true` is set in the
 *   training config — set it, so the agent's replies in the context are not learnt.
 * - `alpaca` (LLaMA-Factory): `{"id", "instruction": <last user turn>, "input": "", "output":
 *   <answer>, "system", "history": [[user, assistant]…]}`.
 * `datasetInfo(files)` writes the matching LLaMA-Factory `dataset_info.json` entries.
 */
import type { ChatTurn, ExportFeatures, ExportRecord, FormatWriter, WriterOptions } from '../types';
import { type CheckedRecord, RecordChecker } from './features';
import { TextFormatWriter } from './hfJsonl';

export type ChatFormat = 'chat-openai' | 'sharegpt' | 'alpaca';

/** The conversation of a record: alternating, starting and ending with a user turn. */
export function chatTurns(record: Pick<ExportRecord, 'context' | 'text'>): ChatTurn[] {
  const merged: ChatTurn[] = [];
  for (const turn of [...record.context, { role: 'user' as const, content: record.text }]) {
    if (!turn.content) continue;
    const last = merged[merged.length - 1];
    if (last && last.role === turn.role) last.content += '\n' + turn.content;
    else if (last || turn.role === 'user') merged.push({ role: turn.role, content: turn.content });
  }
  if (merged[merged.length - 1]?.role !== 'user') merged.push({ role: 'user', content: record.text });
  return merged;
}

/** The assistant's answer: the labels as JSON. */
export function labelAnswer(features: ExportFeatures, c: CheckedRecord): string {
  const answer: Record<string, unknown> = {};
  if (features.intents.length) {
    if (features.multiLabel) answer.intents = c.intents;
    else answer.intent = c.intent;
  }
  if (features.sentiments.length) answer.sentiment = c.sentiment;
  if (features.entityTypes.length) answer.entities = c.entities.map((s) => ({ text: s.text, label: s.label }));
  return JSON.stringify(answer);
}

export function chatLine(format: ChatFormat, checker: RecordChecker, systemPrompt: string, record: ExportRecord): string {
  const answer = labelAnswer(checker.features, checker.check(record));
  const turns = chatTurns(record);
  let out: unknown;
  if (format === 'chat-openai') {
    const messages: Record<string, unknown>[] = [];
    if (systemPrompt) messages.push({ role: 'system', content: systemPrompt });
    for (const t of turns)
      messages.push(t.role === 'assistant' ? { role: 'assistant', content: t.content, weight: 0 } : { role: 'user', content: t.content });
    messages.push({ role: 'assistant', content: answer });
    out = { messages };
  } else if (format === 'sharegpt') {
    const conversations = turns.map((t) => ({ from: t.role === 'user' ? 'human' : 'gpt', value: t.content }));
    conversations.push({ from: 'gpt', value: answer });
    out = { id: record.id, conversations, system: systemPrompt };
  } else {
    const history: [string, string][] = [];
    for (let i = 0; i + 1 < turns.length; i += 2) history.push([turns[i]!.content, turns[i + 1]!.content]);
    out = { id: record.id, instruction: turns[turns.length - 1]!.content, input: '', output: answer, system: systemPrompt, history };
  }
  return JSON.stringify(out) + '\n';
}

export function createChatWriter(format: ChatFormat, path: string, options: WriterOptions): FormatWriter {
  const checker = new RecordChecker(options.features);
  const systemPrompt = options.systemPrompt ?? '';
  return new TextFormatWriter(path, (record) => chatLine(format, checker, systemPrompt, record));
}

/** One entry of LLaMA-Factory's `dataset_info.json`. */
export interface LlamaFactoryDataset {
  file_name: string;
  formatting: 'alpaca' | 'sharegpt';
  columns: Record<string, string>;
  tags?: Record<string, string>;
}

export interface ChatFile {
  format: ChatFormat;
  /** The file name relative to the directory holding dataset_info.json (LLaMA-Factory's dataset_dir). */
  fileName: string;
  /** The dataset name in dataset_info.json; default: the file name without `.jsonl`, dots as `_`. */
  name?: string;
}

/** LLaMA-Factory `dataset_info.json` entries for the chat files of an export (serialise with JSON.stringify). */
export function datasetInfo(files: readonly ChatFile[]): Record<string, LlamaFactoryDataset> {
  const out: Record<string, LlamaFactoryDataset> = {};
  for (const file of files) {
    const name = file.name ?? file.fileName.replace(/\.jsonl?$/, '').replace(/[^\p{L}\p{N}_-]+/gu, '_');
    if (name in out) throw new Error(`dataset_info.json: two datasets named "${name}"`);
    out[name] = datasetEntry(file);
  }
  return out;
}

function datasetEntry({ format, fileName }: ChatFile): LlamaFactoryDataset {
  if (format === 'alpaca') {
    return {
      file_name: fileName,
      formatting: 'alpaca',
      columns: { prompt: 'instruction', query: 'input', response: 'output', system: 'system', history: 'history' },
    };
  }
  if (format === 'sharegpt') {
    return {
      file_name: fileName,
      formatting: 'sharegpt',
      columns: { messages: 'conversations', system: 'system' },
      tags: { role_tag: 'from', content_tag: 'value', user_tag: 'human', assistant_tag: 'gpt' },
    };
  }
  // OpenAI messages are LLaMA-Factory's sharegpt with role/content tags (its data/README "OpenAI format").
  return {
    file_name: fileName,
    formatting: 'sharegpt',
    columns: { messages: 'messages' },
    tags: { role_tag: 'role', content_tag: 'content', user_tag: 'user', assistant_tag: 'assistant', system_tag: 'system' },
  };
}
