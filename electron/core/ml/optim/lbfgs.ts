/**
 * Limited-memory BFGS for smooth unconstrained minimization, full batch: the optimizer of the
 * logistic-regression head (logreg/) and of the entity token head (entities/fitHead.ts).
 */

/** Writes the gradient at x into grad and returns f(x). Must not keep references to x or grad. */
export type ObjectiveFn = (x: Float64Array, grad: Float64Array) => number;

export interface LbfgsOptions {
  maxIter?: number;
  /** History pairs kept. Default 10. */
  memory?: number;
  /** Converged when max |g_i| <= gradTol. Default 1e-5 (trainLogReg passes DEFAULT_GRAD_TOL). */
  gradTol?: number;
  /** Converged when (f_k − f_{k+1}) / max(|f_k|, |f_{k+1}|, 1) <= relTol. Default 1e-10. */
  relTol?: number;
  onIteration?: (info: { iteration: number; f: number; gradNorm: number; step: number; evaluations: number }) => void;
}

export interface LbfgsResult {
  x: Float64Array;
  f: number;
  iterations: number;
  evaluations: number;
  converged: boolean;
  reason: 'gradient' | 'relative-reduction' | 'max-iterations' | 'line-search';
  /** f at the start and after every iteration; strictly decreasing (every step passes Armijo). */
  history: number[];
}

function dot(a: Float64Array, b: Float64Array): number {
  const n = a.length;
  let s0 = 0;
  let s1 = 0;
  let i = 0;
  for (; i + 1 < n; i += 2) {
    s0 += a[i]! * b[i]!;
    s1 += a[i + 1]! * b[i + 1]!;
  }
  if (i < n) s0 += a[i]! * b[i]!;
  return s0 + s1;
}

function maxAbs(a: Float64Array): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) {
    const v = Math.abs(a[i]!);
    if (v > m) m = v;
  }
  return m;
}

/**
 * Minimizes a smooth function by limited-memory BFGS (Nocedal & Wright, Alg. 7.4/7.5) with a
 * line search satisfying the strong Wolfe conditions (c1 = 1e-4, c2 = 0.9; Alg. 3.5/3.6 with
 * safeguarded cubic interpolation). All buffers are allocated once up front.
 */
export function minimizeLbfgs(fg: ObjectiveFn, x0: Float64Array, opts: LbfgsOptions = {}): LbfgsResult {
  const n = x0.length;
  const m = Math.max(1, opts.memory ?? 10);
  const maxIter = opts.maxIter ?? 200;
  const gradTol = opts.gradTol ?? 1e-5;
  const relTol = opts.relTol ?? 1e-10;
  const c1 = 1e-4;
  const c2 = 0.9;

  let x = Float64Array.from(x0);
  let g = new Float64Array(n);
  let xt = new Float64Array(n);
  let gt = new Float64Array(n);
  const d = new Float64Array(n);
  const S = Array.from({ length: m }, () => new Float64Array(n));
  const Y = Array.from({ length: m }, () => new Float64Array(n));
  const rho = new Float64Array(m);
  const alpha = new Float64Array(m);
  let head = 0;
  let count = 0;
  let gamma = 1;

  let evaluations = 0;
  const evaluate = (px: Float64Array, pg: Float64Array): number => {
    evaluations++;
    return fg(px, pg);
  };

  let f = evaluate(x, g);
  if (!Number.isFinite(f)) throw new Error('minimizeLbfgs: objective is not finite at the starting point');
  const history = [f];

  /** d = −H·g by the two-loop recursion. */
  const direction = (): void => {
    d.set(g);
    for (let j = count - 1; j >= 0; j--) {
      const k = (head + j) % m;
      const s = S[k]!;
      const yv = Y[k]!;
      const a = rho[k]! * dot(s, d);
      alpha[k] = a;
      for (let i = 0; i < n; i++) d[i]! -= a * yv[i]!;
    }
    for (let i = 0; i < n; i++) d[i]! *= gamma;
    for (let j = 0; j < count; j++) {
      const k = (head + j) % m;
      const s = S[k]!;
      const yv = Y[k]!;
      const coef = alpha[k]! - rho[k]! * dot(yv, d);
      for (let i = 0; i < n; i++) d[i]! += coef * s[i]!;
    }
    for (let i = 0; i < n; i++) d[i] = -d[i]!;
  };

  const steepest = (): number => {
    for (let i = 0; i < n; i++) d[i] = -g[i]!;
    return -dot(g, g);
  };

  // Line search state: trial point in xt/gt.
  let trialSlope = 0;
  const trial = (a: number): number => {
    for (let i = 0; i < n; i++) xt[i] = x[i]! + a * d[i]!;
    const ft = evaluate(xt, gt);
    trialSlope = dot(gt, d);
    return ft;
  };

  /** Minimizer of the cubic through (a, fa, da), (b, fb, db), safeguarded into the inner 80 % of [a, b]. */
  const interpolate = (a: number, fa: number, da: number, b: number, fb: number, db: number): number => {
    const lo = Math.min(a, b);
    const hi = Math.max(a, b);
    const pad = 0.1 * (hi - lo);
    let t = NaN;
    if (Number.isFinite(fb) && Number.isFinite(db)) {
      const d1 = da + db - (3 * (fa - fb)) / (a - b);
      const disc = d1 * d1 - da * db;
      if (disc >= 0) {
        const d2 = Math.sign(b - a) * Math.sqrt(disc);
        t = b - ((b - a) * (db + d2 - d1)) / (db - da + 2 * d2);
      }
    }
    if (!Number.isFinite(t) || t < lo + pad || t > hi - pad) t = (a + b) / 2;
    return t;
  };

  /** Returns the accepted step (xt/gt/return value hold that point) or 0 on failure. */
  let trialF = 0;
  const lineSearch = (f0: number, dg0: number, a0: number): number => {
    const armijo = (a: number, ft: number): boolean => Number.isFinite(ft) && ft <= f0 + c1 * a * dg0;
    const curvature = (slope: number): boolean => Math.abs(slope) <= -c2 * dg0;

    const zoom = (lo: number, flo: number, dlo: number, hi: number, fhi: number, dhi: number): number => {
      for (let j = 0; j < 30; j++) {
        const a = interpolate(lo, flo, dlo, hi, fhi, dhi);
        const ft = trial(a);
        const dt = trialSlope;
        if (!armijo(a, ft) || ft >= flo) {
          hi = a;
          fhi = ft;
          dhi = dt;
        } else {
          if (curvature(dt)) {
            trialF = ft;
            return a;
          }
          if (dt * (hi - lo) >= 0) {
            hi = lo;
            fhi = flo;
            dhi = dlo;
          }
          lo = a;
          flo = ft;
          dlo = dt;
        }
        if (Math.abs(hi - lo) <= 1e-14 * Math.max(1, Math.abs(lo))) break;
      }
      // Interval collapsed (round-off): take the best Armijo point if it made progress. The
      // curvature condition may fail there; the caller then skips the memory update.
      if (lo > 0) {
        const ft = trial(lo);
        if (Number.isFinite(ft) && ft < f0) {
          trialF = ft;
          return lo;
        }
      }
      return 0;
    };

    let aPrev = 0;
    let fPrev = f0;
    let dPrev = dg0;
    let a = a0;
    for (let i = 0; i < 40; i++) {
      const ft = trial(a);
      const dt = trialSlope;
      if (!armijo(a, ft) || (i > 0 && ft >= fPrev)) return zoom(aPrev, fPrev, dPrev, a, ft, dt);
      if (curvature(dt)) {
        trialF = ft;
        return a;
      }
      if (dt >= 0) return zoom(a, ft, dt, aPrev, fPrev, dPrev);
      aPrev = a;
      fPrev = ft;
      dPrev = dt;
      a *= 2;
    }
    return 0;
  };

  let iterations = 0;
  let converged = false;
  let reason: LbfgsResult['reason'] = 'max-iterations';
  for (;;) {
    const gradNorm = maxAbs(g);
    if (gradNorm <= gradTol) {
      converged = true;
      reason = 'gradient';
      break;
    }
    if (iterations >= maxIter) break;

    let dg: number;
    if (count > 0) {
      direction();
      dg = dot(d, g);
      if (!(dg < 0)) {
        count = 0;
        dg = steepest();
      }
    } else {
      dg = steepest();
    }
    let step = lineSearch(f, dg, count > 0 ? 1 : Math.min(1, 1 / Math.sqrt(-dg)));
    if (step === 0 && count > 0) {
      // A stale curvature model can give a poor direction: restart from steepest descent once.
      count = 0;
      dg = steepest();
      step = lineSearch(f, dg, Math.min(1, 1 / Math.sqrt(-dg)));
    }
    if (step === 0) {
      reason = 'line-search';
      break;
    }

    // Curvature pair from the accepted step.
    const slot = count < m ? (head + count) % m : head;
    const s = S[slot]!;
    const yv = Y[slot]!;
    for (let i = 0; i < n; i++) {
      s[i] = xt[i]! - x[i]!;
      yv[i] = gt[i]! - g[i]!;
    }
    const sy = dot(s, yv);
    const yy = dot(yv, yv);
    if (sy > 1e-12 * yy && yy > 0) {
      rho[slot] = 1 / sy;
      gamma = sy / yy;
      if (count < m) count++;
      else head = (head + 1) % m;
    }

    const fNew = trialF;
    const rel = (f - fNew) / Math.max(Math.abs(f), Math.abs(fNew), 1);
    [x, xt] = [xt, x];
    [g, gt] = [gt, g];
    f = fNew;
    iterations++;
    history.push(f);
    opts.onIteration?.({ iteration: iterations, f, gradNorm: maxAbs(g), step, evaluations });
    if (rel <= relTol) {
      converged = true;
      reason = 'relative-reduction';
      break;
    }
  }
  return { x, f, iterations, evaluations, converged, reason, history };
}
