import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../../../shared/domain/agreement/prng';
import { DedupIndex } from '../../../electron/core/export/dedup';
import { MinHasher } from '../../../electron/core/export/minhash';

describe('MinHash minima: WebAssembly SIMD and JavaScript', () => {
  it('runs the SIMD module here (Node 20) and gives the same words as the JavaScript loop', () => {
    const rand = mulberry32(5);
    const seeds = Int32Array.from({ length: 128 }, () => (rand() * 2 ** 32) | 0);
    const simd = new MinHasher(seeds);
    const js = new MinHasher(seeds, false);
    expect(simd.simd).toBe(true);
    expect(js.simd).toBe(false);
    const a = new Uint32Array(16);
    const b = new Uint32Array(16);
    // Counts from 1 to past the first memory page (the module's memory grows), hashes of every sign.
    for (const count of [1, 2, 3, 7, 31, 64, 500, 20_000]) {
      for (let round = 0; round < 20; round++) {
        const xa = simd.shingles(count);
        const xb = js.shingles(count);
        for (let p = 0; p < count; p++) xa[p] = xb[p] = (rand() * 2 ** 32) | 0;
        if (round === 0) xa[0] = xb[0] = -0x80000000;
        simd.sign(count, a, 0);
        js.sign(count, b, 0);
        expect([...a], `count ${count}`).toEqual([...b]);
      }
    }
  });

  it('a DedupIndex finds the same clusters and similarities either way', () => {
    const rand = mulberry32(9);
    const words = ['快递', '订单', '退款', '发票', '客服', '物流', '包裹', '电话', '地址', '优惠'];
    const texts: string[] = [];
    for (let i = 0; i < 3000; i++) {
      const base =
        i > 10 && rand() < 0.2
          ? texts[Math.floor(rand() * texts.length)]!
          : Array.from({ length: 6 + Math.floor(rand() * 10) }, () => words[Math.floor(rand() * words.length)]).join('');
      texts.push(rand() < 0.5 ? base : `${base}${Math.floor(rand() * 10)}`);
    }
    const simd = new DedupIndex({ near: true });
    const js = new DedupIndex({ near: true, simd: false });
    texts.forEach((t, i) => {
      simd.add(i, t);
      js.add(i, t);
    });
    for (let i = 1; i < 200; i++) expect(simd.estimatedSimilarity(0, i)).toBe(js.estimatedSimilarity(0, i));
    simd.finish();
    js.finish();
    expect(simd.counts()).toEqual(js.counts());
    expect(simd.counts().near_removed).toBeGreaterThan(simd.counts().exact_removed);
    expect([...simd.clusterIds('near')]).toEqual([...js.clusterIds('near')]);
  });
});
