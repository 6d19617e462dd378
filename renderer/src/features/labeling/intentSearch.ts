import { match } from 'pinyin-pro';
import type { IntentLabel } from '../../../../shared/domain/labelSchema';

export interface IntentMatch {
  label: IntentLabel;
  /** Lower is better: name hits before pinyin hits before description hits. */
  rank: number;
}

/**
 * Finds intents by what an annotator types: part of the name, its pinyin (查询订单 ← "chaxun"),
 * its pinyin initials (投诉 ← "ts"), or words of its description or examples. Labels keep their
 * schema order within a rank; an empty query lists them all.
 */
export function searchIntents(labels: IntentLabel[], query: string): IntentMatch[] {
  const q = query.trim().toLowerCase();
  if (!q) return labels.map((label) => ({ label, rank: 0 }));
  const out: IntentMatch[] = [];
  for (const label of labels) {
    const rank = rankOf(label, q);
    if (rank !== null) out.push({ label, rank });
  }
  return out.sort((a, b) => a.rank - b.rank);
}

function rankOf(label: IntentLabel, q: string): number | null {
  const name = label.name.toLowerCase();
  if (name.startsWith(q)) return 0;
  if (name.includes(q)) return 1;
  if (/^[a-z]+$/.test(q) && pinyinMatches(label.name, q)) return 2;
  if (label.description.toLowerCase().includes(q)) return 3;
  if (label.examples.some((e) => e.toLowerCase().includes(q))) return 4;
  return null;
}

function pinyinMatches(text: string, q: string): boolean {
  // match() accepts full pinyin, initials, or a mix ("chaxdd"); it returns the matched positions.
  return (match(text, q, { precision: 'start' }) ?? []).length > 0 || (match(text, q) ?? []).length > 0;
}
