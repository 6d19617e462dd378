/**
 * The 4-bit MinHash words of dedup.ts: for each hash function (seed), the minimum over a text's
 * shingle hashes x of `v = y ^ (y >>> 16) ^ 0x80000000` with `y = imul(x ^ seed, 0x9e3779b1)` (signed
 * comparison: the flipped sign bit makes it the unsigned minimum), kept as the top 4 bits of
 * `imul(min, 0x9e3779b1)`, eight to a 32-bit word.
 *
 * A million texts of ~30 characters take 128 × 30 of these per text, the export's largest single
 * cost, so the minima are computed four seeds at a time with WebAssembly SIMD (i32x4) when the
 * runtime has it (Node 16.4+, Electron), in plain JavaScript otherwise; both give the same words
 * (tested). The WebAssembly module is hand-assembled below: one function,
 *   minima(xs, count, seeds, vectors, out): for v in [0, vectors): out[v] = min over p of f(xs[p], seeds[v])
 * over i32x4 lanes, with xs, seeds and out in its own memory.
 */

const ROWS = 8;
const C = 0x9e3779b1;

const nibble = (min: number): number => Math.imul(min, C) >>> 28;

function leb(n: number): number[] {
  const out: number[] = [];
  do {
    let byte = n & 0x7f;
    n >>>= 7;
    if (n) byte |= 0x80;
    out.push(byte);
  } while (n);
  return out;
}

const i32x4 = (v: number): number[] => {
  const b = [v & 0xff, (v >>> 8) & 0xff, (v >>> 16) & 0xff, (v >>> 24) & 0xff];
  return [...b, ...b, ...b, ...b];
};

// Opcodes (WebAssembly 2.0; the SIMD ones follow the 0xfd prefix).
const BLOCK = [0x02, 0x40];
const LOOP = [0x03, 0x40];
const END = 0x0b;
const BR = 0x0c;
const BR_IF = 0x0d;
const I32_CONST = 0x41;
const I32_GE_U = 0x4f;
const I32_ADD = 0x6a;
const I32_SHL = 0x74;
const LOCAL_TEE = 0x22;
const V128_LOAD = 0x00;
const V128_LOAD32_SPLAT = 0x09;
const V128_STORE = 0x0b;
const V128_CONST = 0x0c;
const V128_XOR = 0x51;
const I32X4_SHR_U = 0xad;
const I32X4_MUL = 0xb5;
const I32X4_MIN_S = 0xb6;

/** The module's bytes (see the file comment for what the function computes). */
function moduleBytes(): Uint8Array {
  const simd = (op: number): number[] => [0xfd, ...leb(op)];
  const get = (i: number) => [0x20, i];
  const set = (i: number) => [0x21, i];
  /** `base + index * 2^shift` on the stack. */
  const address = (base: number, index: number, shift: number) => [...get(base), ...get(index), I32_CONST, shift, I32_SHL, I32_ADD];
  // params: 0 xs, 1 count, 2 seeds, 3 vectors, 4 out; locals: 5 v, 6 p (i32), 7 seed, 8 min, 9 y (v128)
  const body = [
    [...BLOCK, ...LOOP], // for v in [0, vectors)
    [...get(5), ...get(3), I32_GE_U, BR_IF, 1],
    [...address(2, 5, 4), ...simd(V128_LOAD), 4, 0, ...set(7)], // seed = seeds[v]
    [...simd(V128_CONST), ...i32x4(0x7fffffff), ...set(8)], // min = MAX
    [I32_CONST, 0, ...set(6)],
    [...BLOCK, ...LOOP], // for p in [0, count)
    [...get(6), ...get(1), I32_GE_U, BR_IF, 1],
    [...address(0, 6, 2), ...simd(V128_LOAD32_SPLAT), 2, 0], // xs[p] in every lane
    [...get(7), ...simd(V128_XOR), ...simd(V128_CONST), ...i32x4(C), ...simd(I32X4_MUL)], // y = (x ^ seed) * C
    [LOCAL_TEE, 9, ...get(9), I32_CONST, 16, ...simd(I32X4_SHR_U), ...simd(V128_XOR)], // y ^ (y >>> 16)
    [...simd(V128_CONST), ...i32x4(0x80000000), ...simd(V128_XOR)], // ^ sign bit
    [...get(8), ...simd(I32X4_MIN_S), ...set(8)], // min = min_s(min, v)
    [...get(6), I32_CONST, 1, I32_ADD, ...set(6), BR, 0, END, END],
    [...address(4, 5, 4), ...get(8), ...simd(V128_STORE), 4, 0], // out[v] = min
    [...get(5), I32_CONST, 1, I32_ADD, ...set(5), BR, 0, END, END],
    [END],
  ].flat();
  const locals = [0x02, 0x02, 0x7f, 0x03, 0x7b]; // 2 × i32, 3 × v128
  const code = [...leb(locals.length + body.length), ...locals, ...body];
  const section = (id: number, content: number[]) => [id, ...leb(content.length), ...content];
  const name = (s: string) => [s.length, ...Array.from(s, (c) => c.charCodeAt(0))];
  return new Uint8Array([
    ...[0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00],
    ...section(1, [0x01, 0x60, 0x05, 0x7f, 0x7f, 0x7f, 0x7f, 0x7f, 0x00]), // type: (i32 × 5) -> ()
    ...section(3, [0x01, 0x00]), // function 0 has type 0
    ...section(5, [0x01, 0x00, 0x01]), // one memory, 1 page to start
    ...section(7, [0x02, ...name('mem'), 0x02, 0x00, ...name('minima'), 0x00, 0x00]),
    ...section(10, [0x01, ...code]),
  ]);
}

/** The part of the WebAssembly API used here (the Node typings this project builds with do not declare it). */
interface WasmMemory {
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}
interface WasmApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: unknown };
}

interface Simd {
  memory: WasmMemory;
  minima: (xs: number, count: number, seeds: number, vectors: number, out: number) => void;
}

let compiled: object | null | undefined;

/** An instance of the module (its own memory), or null where WebAssembly SIMD is missing. */
function instantiate(): Simd | null {
  const api = (globalThis as { WebAssembly?: WasmApi }).WebAssembly;
  if (compiled === undefined) {
    try {
      compiled = api ? new api.Module(moduleBytes()) : null;
    } catch {
      compiled = null; // no WebAssembly SIMD here: the JavaScript loop
    }
  }
  if (!compiled || !api) return null;
  const e = new api.Instance(compiled, {}).exports as { mem: WasmMemory; minima: Simd['minima'] };
  return { memory: e.mem, minima: e.minima };
}

const SEEDS_AT = 0;
const OUT_AT = 2048;
const XS_AT = 4096;

/** MinHash signatures for one seed set; `shingles(n)` is the scratch the caller fills before `sign`. */
export class MinHasher {
  private readonly words: number;
  private readonly wasm: Simd | null;
  private xs: Int32Array;
  private mins: Int32Array;

  /** `useSimd: false` forces the JavaScript loop (tests compare the two). */
  constructor(
    private readonly seeds: Int32Array,
    useSimd = true,
  ) {
    if (seeds.length % ROWS !== 0 || seeds.length > 512) throw new Error('MinHasher: seeds must be a multiple of 8, at most 512');
    this.words = seeds.length / ROWS;
    this.wasm = useSimd ? instantiate() : null;
    if (this.wasm) {
      new Int32Array(this.wasm.memory.buffer, SEEDS_AT, seeds.length).set(seeds);
      this.xs = new Int32Array(this.wasm.memory.buffer, XS_AT);
      this.mins = new Int32Array(this.wasm.memory.buffer, OUT_AT, seeds.length);
    } else {
      this.xs = new Int32Array(256);
      this.mins = new Int32Array(0);
    }
  }

  get simd(): boolean {
    return this.wasm !== null;
  }

  /** Scratch of at least `n` entries for the shingle hashes (valid until the next call). */
  shingles(n: number): Int32Array {
    if (this.xs.length >= n) return this.xs;
    if (this.wasm) {
      this.wasm.memory.grow(Math.max(1, Math.ceil((XS_AT + n * 4 - this.wasm.memory.buffer.byteLength) / 65536)));
      this.xs = new Int32Array(this.wasm.memory.buffer, XS_AT);
      this.mins = new Int32Array(this.wasm.memory.buffer, OUT_AT, this.seeds.length);
    } else this.xs = new Int32Array(n * 2);
    return this.xs;
  }

  /** Writes the signature of `shingles()[0…count)` as `words` 32-bit words into `sigs` at `offset`. */
  sign(count: number, sigs: Uint32Array, offset: number): void {
    if (!this.wasm) return minhashWords(this.xs, count, this.seeds, this.words, sigs, offset);
    this.wasm.minima(XS_AT, count, SEEDS_AT, this.seeds.length / 4, OUT_AT);
    const m = this.mins;
    for (let b = 0, k = 0; b < this.words; b++, k += ROWS) {
      sigs[offset + b] =
        (nibble(m[k]!) |
          (nibble(m[k + 1]!) << 4) |
          (nibble(m[k + 2]!) << 8) |
          (nibble(m[k + 3]!) << 12) |
          (nibble(m[k + 4]!) << 16) |
          (nibble(m[k + 5]!) << 20) |
          (nibble(m[k + 6]!) << 24) |
          (nibble(m[k + 7]!) << 28)) >>>
        0;
    }
  }
}

/** The same words in plain JavaScript, the eight minima of one word side by side (independent chains). */
export function minhashWords(xs: Int32Array, count: number, seeds: Int32Array, words: number, sigs: Uint32Array, offset: number): void {
  for (let b = 0; b < words; b++) {
    const base = b * ROWS;
    const s0 = seeds[base]!,
      s1 = seeds[base + 1]!,
      s2 = seeds[base + 2]!,
      s3 = seeds[base + 3]!;
    const s4 = seeds[base + 4]!,
      s5 = seeds[base + 5]!,
      s6 = seeds[base + 6]!,
      s7 = seeds[base + 7]!;
    let m0 = 0x7fffffff,
      m1 = m0,
      m2 = m0,
      m3 = m0,
      m4 = m0,
      m5 = m0,
      m6 = m0,
      m7 = m0;
    for (let p = 0; p < count; p++) {
      const x = xs[p]!;
      let y = Math.imul(x ^ s0, C);
      let v = (y ^ (y >>> 16) ^ 0x80000000) | 0;
      m0 = v < m0 ? v : m0;
      y = Math.imul(x ^ s1, C);
      v = (y ^ (y >>> 16) ^ 0x80000000) | 0;
      m1 = v < m1 ? v : m1;
      y = Math.imul(x ^ s2, C);
      v = (y ^ (y >>> 16) ^ 0x80000000) | 0;
      m2 = v < m2 ? v : m2;
      y = Math.imul(x ^ s3, C);
      v = (y ^ (y >>> 16) ^ 0x80000000) | 0;
      m3 = v < m3 ? v : m3;
      y = Math.imul(x ^ s4, C);
      v = (y ^ (y >>> 16) ^ 0x80000000) | 0;
      m4 = v < m4 ? v : m4;
      y = Math.imul(x ^ s5, C);
      v = (y ^ (y >>> 16) ^ 0x80000000) | 0;
      m5 = v < m5 ? v : m5;
      y = Math.imul(x ^ s6, C);
      v = (y ^ (y >>> 16) ^ 0x80000000) | 0;
      m6 = v < m6 ? v : m6;
      y = Math.imul(x ^ s7, C);
      v = (y ^ (y >>> 16) ^ 0x80000000) | 0;
      m7 = v < m7 ? v : m7;
    }
    sigs[offset + b] =
      (nibble(m0) |
        (nibble(m1) << 4) |
        (nibble(m2) << 8) |
        (nibble(m3) << 12) |
        (nibble(m4) << 16) |
        (nibble(m5) << 20) |
        (nibble(m6) << 24) |
        (nibble(m7) << 28)) >>>
      0;
  }
}
