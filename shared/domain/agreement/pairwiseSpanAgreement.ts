import { type Span } from '../spans';
import { spanAgreement, type SpanAgreement, type SpanItem } from './spanAgreement';

/** Entity spans by several annotators: `spans[j]` is annotator j's spans; `null`/`undefined` = did not annotate the item. */
export interface AnnotatorSpans {
  annotators: readonly string[];
  items: readonly { id: string; spans: readonly (readonly Span[] | null | undefined)[] }[];
}

/** Span agreement for every pair of annotators (first as reference), over the items both annotated. */
export function pairwiseSpanAgreement(data: AnnotatorSpans): { first: string; second: string; agreement: SpanAgreement }[] {
  const m = data.annotators.length;
  const out: { first: string; second: string; agreement: SpanAgreement }[] = [];
  for (let a = 0; a < m; a++) {
    for (let b = a + 1; b < m; b++) {
      const items: SpanItem[] = [];
      for (const item of data.items) {
        const reference = item.spans[a];
        const candidate = item.spans[b];
        if (reference && candidate) items.push({ id: item.id, reference, candidate });
      }
      out.push({ first: data.annotators[a]!, second: data.annotators[b]!, agreement: spanAgreement(items) });
    }
  }
  return out;
}
