/**
 * A project dictionary (term → entity type, e.g. 小米手环8 → 商品) matched over Unicode code
 * points with a trie: at each position the longest term that starts there wins, then matching
 * resumes after it (leftmost-longest, non-overlapping). Offsets are code points, end-exclusive.
 *
 * Matching folds case for Latin (and other cased) letters and full-width ASCII to ASCII, one code
 * point to one code point, so offsets are those of the original text: 'AirPods Pro' matches
 * 'airpods pro' and 'ＡｉｒＰｏｄｓ ｐｒｏ'. A term that begins (ends) with a Latin letter or digit only
 * matches where the text does not continue with one, so 'pro' is not found inside 'product'.
 */

export interface DictionaryEntry {
  term: string;
  label: string;
}

export interface DictionaryMatch {
  start: number;
  end: number;
  label: string;
}

interface TrieNode {
  next: Map<number, TrieNode>;
  /** Label of the term ending here, if any. */
  label: string | null;
  /** The term's first and last characters are Latin letters/digits (word-boundary checks). */
  alnumStart: boolean;
  alnumEnd: boolean;
}

export interface Dictionary {
  readonly root: TrieNode;
  /** Distinct terms stored (after folding; the first entry of a duplicate term wins). */
  readonly size: number;
}

const ALNUM = /^[0-9A-Za-z]$/;

/** Case and width folding of one code point, always to one code point. */
export function foldCodePoint(cp: number): number {
  if (cp >= 0xff01 && cp <= 0xff5e)
    cp -= 0xfee0; // full-width ASCII
  else if (cp === 0x3000) cp = 0x20;
  const ch = String.fromCodePoint(cp);
  const lower = ch.toLowerCase();
  const first = lower.codePointAt(0);
  // Only take the lowercase form when it is a single code point ('İ' lowercases to two).
  return first !== undefined && String.fromCodePoint(first) === lower ? first : cp;
}

function foldedCodePoints(text: string): number[] {
  const out: number[] = [];
  for (const ch of text) out.push(foldCodePoint(ch.codePointAt(0)!));
  return out;
}

function isAlnum(cp: number | undefined): boolean {
  return cp !== undefined && cp < 0x80 && ALNUM.test(String.fromCharCode(cp));
}

function newNode(): TrieNode {
  return { next: new Map(), label: null, alnumStart: false, alnumEnd: false };
}

/**
 * Builds the matcher. Terms are trimmed; empty terms and entries without a label are skipped; when
 * a term (after folding) appears twice, the first entry's label is kept.
 */
export function buildDictionary(entries: readonly DictionaryEntry[]): Dictionary {
  const root = newNode();
  let size = 0;
  for (const entry of entries) {
    const term = entry.term.trim();
    if (!term || !entry.label) continue;
    const cps = foldedCodePoints(term);
    let node = root;
    for (const cp of cps) {
      let child = node.next.get(cp);
      if (!child) {
        child = newNode();
        node.next.set(cp, child);
      }
      node = child;
    }
    if (node.label !== null) continue;
    node.label = entry.label;
    node.alnumStart = isAlnum(cps[0]);
    node.alnumEnd = isAlnum(cps[cps.length - 1]);
    size++;
  }
  return { root, size };
}

/** Leftmost-longest, non-overlapping dictionary matches in `text`, in order. */
export function matchDictionary(dict: Dictionary, text: string): DictionaryMatch[] {
  const cps = foldedCodePoints(text);
  const out: DictionaryMatch[] = [];
  let i = 0;
  while (i < cps.length) {
    let node: TrieNode | undefined = dict.root;
    let best: { end: number; label: string } | null = null;
    for (let j = i; j < cps.length; j++) {
      node = node.next.get(cps[j]!);
      if (!node) break;
      if (node.label !== null && boundaryOk(cps, i, j + 1, node)) best = { end: j + 1, label: node.label };
    }
    if (best) {
      out.push({ start: i, end: best.end, label: best.label });
      i = best.end;
    } else {
      i++;
    }
  }
  return out;
}

function boundaryOk(cps: number[], start: number, end: number, node: TrieNode): boolean {
  if (node.alnumStart && isAlnum(cps[start - 1])) return false;
  if (node.alnumEnd && isAlnum(cps[end])) return false;
  return true;
}
