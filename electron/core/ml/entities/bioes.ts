/** The BIOES tags the entity head is trained on and decodes with (everything else speaks BIO, bio.ts). */
import type { EntityHead } from './tokenHead';

/** Position of a non-O tag within its label's block of 4. */
const B = 0;
const I = 1;
const E = 2;
const S = 3;

/** ['O', 'B-x', 'I-x', 'E-x', 'S-x', …]. */
export function bioesTagNames(labels: readonly string[]): string[] {
  return ['O', ...labels.flatMap((l) => [`B-${l}`, `I-${l}`, `E-${l}`, `S-${l}`])];
}

/** A head from its parts; the tags follow from the labels. */
export function bioesHead(parts: Omit<EntityHead, 'kind' | 'version' | 'scheme' | 'tags'>): EntityHead {
  return { kind: 'entity-head', version: 1, scheme: 'BIOES', ...parts, labels: [...parts.labels], tags: bioesTagNames(parts.labels) };
}

/**
 * BIO tag indices (bio.ts) → BIOES indices: a B not continued is S, the last I of a span is E. An I
 * that does not continue a span of its label begins one (as decodeBio reads it).
 */
export function bioToBioes(bio: readonly number[]): number[] {
  return bio.map((t, i) => {
    if (t <= 0) return 0;
    const k = (t - 1) >> 1;
    const prev = i > 0 ? bio[i - 1]! : 0;
    const isBegin = (t - 1) % 2 === 0 || (prev !== 1 + 2 * k && prev !== 2 + 2 * k);
    const continued = bio[i + 1] === 2 + 2 * k;
    return 1 + 4 * k + (isBegin ? (continued ? B : S) : continued ? I : E);
  });
}

/** BIOES indices → BIO indices (B, S → B; I, E → I). */
export function bioesToBio(tags: readonly number[]): number[] {
  return tags.map((t) => {
    if (t <= 0) return 0;
    const k = (t - 1) >> 2;
    const pos = (t - 1) % 4;
    return pos === B || pos === S ? 1 + 2 * k : 2 + 2 * k;
  });
}

/** Whether tag `b` may follow tag `a` (a = −1: start of text). */
export function bioesAllowed(a: number, b: number): boolean {
  const open = a > 0 && ((a - 1) % 4 === B || (a - 1) % 4 === I);
  const inside = b > 0 && ((b - 1) % 4 === I || (b - 1) % 4 === E);
  if (open) return inside && (a - 1) >> 2 === (b - 1) >> 2;
  return !inside;
}

/** Whether a text may end on tag `a`. */
export function mayEnd(a: number): boolean {
  return a === 0 || (a - 1) % 4 === E || (a - 1) % 4 === S;
}

/** Whether a BIOES tag starts a span (B or S). */
export function beginsSpan(tag: number): boolean {
  return tag > 0 && ((tag - 1) % 4 === B || (tag - 1) % 4 === S);
}
