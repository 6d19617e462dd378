import { QUANT, type RowRun } from './trainingRows';

/**
 * Σ over rows [from, to) of w_i · cross-entropy, and its gradient ADDED into `grad` (unnormalized,
 * no penalty), for parameters laid out like EntityHead.weights. Rows are int8 (× 1/scale); `z` is
 * scratch of length 4·C. Four rows at a time, two tags per pass: each weight is loaded once per
 * four rows. (The logistic-regression head has its own kernel over float64 rows: one function fed
 * both array types would be polymorphic in its innermost loop.)
 */
function softmaxLossPart(
  X: Int8Array,
  F: number,
  y: Uint16Array,
  sw: Float32Array,
  from: number,
  to: number,
  C: number,
  theta: Float64Array,
  grad: Float64Array,
  z: Float64Array,
  scale: number,
): number {
  const stride = F + 1;
  let loss = 0;
  for (let i = from; i < to; i += 4) {
    const m = Math.min(4, to - i);
    // Rows past the block's end repeat its first row with weight 0.
    const xa = i * F;
    const xb = (m > 1 ? i + 1 : i) * F;
    const xc = (m > 2 ? i + 2 : i) * F;
    const xd = (m > 3 ? i + 3 : i) * F;
    let c = 0;
    for (; c + 1 < C; c += 2) {
      const wo = c * stride;
      const wp = wo + stride;
      let s0 = 0;
      let s1 = 0;
      let s2 = 0;
      let s3 = 0;
      let t0 = 0;
      let t1 = 0;
      let t2 = 0;
      let t3 = 0;
      for (let j = 0; j < F; j++) {
        const w = theta[wo + j]!;
        const v = theta[wp + j]!;
        const a = X[xa + j]!;
        const b = X[xb + j]!;
        const e = X[xc + j]!;
        const f = X[xd + j]!;
        s0 += w * a;
        s1 += w * b;
        s2 += w * e;
        s3 += w * f;
        t0 += v * a;
        t1 += v * b;
        t2 += v * e;
        t3 += v * f;
      }
      const bw = theta[wo + F]!;
      const bv = theta[wp + F]!;
      z[c] = s0 * scale + bw;
      z[C + c] = s1 * scale + bw;
      z[2 * C + c] = s2 * scale + bw;
      z[3 * C + c] = s3 * scale + bw;
      z[c + 1] = t0 * scale + bv;
      z[C + c + 1] = t1 * scale + bv;
      z[2 * C + c + 1] = t2 * scale + bv;
      z[3 * C + c + 1] = t3 * scale + bv;
    }
    if (c < C) {
      const wo = c * stride;
      let s0 = 0;
      let s1 = 0;
      let s2 = 0;
      let s3 = 0;
      for (let j = 0; j < F; j++) {
        const w = theta[wo + j]!;
        s0 += w * X[xa + j]!;
        s1 += w * X[xb + j]!;
        s2 += w * X[xc + j]!;
        s3 += w * X[xd + j]!;
      }
      const bw = theta[wo + F]!;
      z[c] = s0 * scale + bw;
      z[C + c] = s1 * scale + bw;
      z[2 * C + c] = s2 * scale + bw;
      z[3 * C + c] = s3 * scale + bw;
    }
    // Softmax of each of the 4 rows, turned in place into r = w·(p − onehot) · scale.
    for (let k = 0; k < 4; k++) {
      const off = k * C;
      const wi = k < m ? sw[i + k]! : 0;
      const yi = k < m ? y[i + k]! : 0;
      let max = -Infinity;
      for (let q = 0; q < C; q++) if (z[off + q]! > max) max = z[off + q]!;
      const zy = z[off + yi]!;
      let sum = 0;
      for (let q = 0; q < C; q++) {
        const ez = Math.exp(z[off + q]! - max);
        z[off + q] = ez;
        sum += ez;
      }
      if (wi !== 0) loss += wi * (max + Math.log(sum) - zy);
      const g = wi / sum;
      for (let q = 0; q < C; q++) z[off + q] = z[off + q]! * g;
      z[off + yi] = z[off + yi]! - wi;
    }
    c = 0;
    for (; c + 1 < C; c += 2) {
      const r0 = z[c]!;
      const r1 = z[C + c]!;
      const r2 = z[2 * C + c]!;
      const r3 = z[3 * C + c]!;
      const q0 = z[c + 1]!;
      const q1 = z[C + c + 1]!;
      const q2 = z[2 * C + c + 1]!;
      const q3 = z[3 * C + c + 1]!;
      const go = c * stride;
      const gp = go + stride;
      const rs0 = r0 * scale;
      const rs1 = r1 * scale;
      const rs2 = r2 * scale;
      const rs3 = r3 * scale;
      const qs0 = q0 * scale;
      const qs1 = q1 * scale;
      const qs2 = q2 * scale;
      const qs3 = q3 * scale;
      for (let j = 0; j < F; j++) {
        const a = X[xa + j]!;
        const b = X[xb + j]!;
        const e = X[xc + j]!;
        const f = X[xd + j]!;
        grad[go + j]! += rs0 * a + rs1 * b + rs2 * e + rs3 * f;
        grad[gp + j]! += qs0 * a + qs1 * b + qs2 * e + qs3 * f;
      }
      grad[go + F]! += r0 + r1 + r2 + r3;
      grad[gp + F]! += q0 + q1 + q2 + q3;
    }
    if (c < C) {
      const r0 = z[c]!;
      const r1 = z[C + c]!;
      const r2 = z[2 * C + c]!;
      const r3 = z[3 * C + c]!;
      const go = c * stride;
      const rs0 = r0 * scale;
      const rs1 = r1 * scale;
      const rs2 = r2 * scale;
      const rs3 = r3 * scale;
      for (let j = 0; j < F; j++) grad[go + j]! += rs0 * X[xa + j]! + rs1 * X[xb + j]! + rs2 * X[xc + j]! + rs3 * X[xd + j]!;
      grad[go + F]! += r0 + r1 + r2 + r3;
    }
  }
  return loss;
}

/** The kernel over runs of int8 rows: Σ weighted loss, gradient added into `grad`. */
export function runsLoss(runs: readonly RowRun[], F: number, C: number, theta: Float64Array, grad: Float64Array, z: Float64Array): number {
  let loss = 0;
  for (const r of runs) loss += softmaxLossPart(r.X, F, r.y, r.sw, r.from, r.to, C, theta, grad, z, 1 / QUANT);
  return loss;
}
