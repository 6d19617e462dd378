import { bioesAllowed, mayEnd } from './bioes';

/**
 * Best tag sequence under the BIOES constraints: `logProbs` is T × C (row-major). Ties go to the
 * lower tag index, so an all-equal row prefers O.
 */
export function viterbiBioes(logProbs: Float64Array | Float32Array, T: number, C: number): number[] {
  if (T === 0) return [];
  const allowed = new Uint8Array(C * C);
  for (let a = 0; a < C; a++) for (let b = 0; b < C; b++) allowed[a * C + b] = bioesAllowed(a, b) ? 1 : 0;
  let prev = new Float64Array(C);
  let cur = new Float64Array(C);
  const back = new Int32Array(T * C);
  for (let b = 0; b < C; b++) prev[b] = bioesAllowed(-1, b) ? logProbs[b]! : -Infinity;
  for (let t = 1; t < T; t++) {
    for (let b = 0; b < C; b++) {
      let best = -Infinity;
      let arg = 0;
      for (let a = 0; a < C; a++) {
        if (!allowed[a * C + b]) continue;
        const s = prev[a]!;
        if (s > best) {
          best = s;
          arg = a;
        }
      }
      cur[b] = best + logProbs[t * C + b]!;
      back[t * C + b] = arg;
    }
    [prev, cur] = [cur, prev];
  }
  let best = -Infinity;
  let arg = 0;
  for (let c = 0; c < C; c++) {
    if (mayEnd(c) && prev[c]! > best) {
      best = prev[c]!;
      arg = c;
    }
  }
  const tags = new Array<number>(T);
  for (let t = T - 1; t >= 0; t--) {
    tags[t] = arg;
    arg = back[t * C + arg]!;
  }
  return tags;
}
