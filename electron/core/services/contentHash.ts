import { createHash } from 'node:crypto';

/** An item's identity across imports and machines: the first 16 bytes of the SHA-256 of its exact text. */
export function contentHash(text: string): Buffer {
  return createHash('sha256').update(text).digest().subarray(0, 16);
}
