import { mulberry32 } from '../../../shared/domain/agreement/prng';

export interface PlanInput {
  /** The chosen items (not gold), in the project's order. */
  items: readonly string[];
  /** The project's gold items the plan may draw from. */
  gold: readonly string[];
  annotators: readonly string[];
  /** Each item goes to this many distinct annotators (1..annotators). */
  overlap: number;
  /** The share of each annotator's pack that is gold, in [0, 0.5]. */
  goldShare: number;
  seed: number;
}

export interface PlannedItem {
  itemId: string;
  gold: boolean;
}

export interface AnnotatorPlan {
  annotator: string;
  items: PlannedItem[];
  gold: number;
}

function shuffle<T>(a: T[], rand: () => number): T[] {
  for (let i = a.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [a[i], a[j]] = [a[j]!, a[i]!];
  }
  return a;
}

/**
 * Positions for `gold` gold items among `total`: one in each of `gold` equal segments, at a random
 * place in it and never right after the previous one, so gold is spread evenly and never in a block
 * (a run of gold would stand out).
 */
export function goldPositions(total: number, gold: number, rand: () => number): Set<number> {
  const out = new Set<number>();
  let previous = -2;
  for (let s = 0; s < gold; s++) {
    const from = Math.floor((s * total) / gold);
    const to = Math.floor(((s + 1) * total) / gold);
    let p = from + Math.floor(rand() * (to - from));
    if (p === previous + 1 && p + 1 < to) p++;
    out.add(p);
    previous = p;
  }
  return out;
}

/**
 * The assignment of a plan: deterministic for the same input. Every item goes to exactly `overlap`
 * distinct annotators, spread so loads differ by at most one and partners vary (least loaded first,
 * ties broken by the seeded generator); each annotator draws its own gold items (each at most once)
 * for the gold share of its pack; each pack is shuffled on its own.
 */
export function planAssignment(input: PlanInput): AnnotatorPlan[] {
  const n = input.annotators.length;
  if (n === 0) throw new RangeError('choose at least one annotator');
  if (!Number.isInteger(input.overlap) || input.overlap < 1 || input.overlap > n) throw new RangeError(`overlap must be between 1 and the number of annotators (${n})`);
  if (!(input.goldShare >= 0 && input.goldShare <= 0.5)) throw new RangeError('the gold share must be between 0 and 0.5');
  const rand = mulberry32(input.seed);
  const load = new Array<number>(n).fill(0);
  const tie = new Float64Array(n);
  const order = Array.from({ length: n }, (_, i) => i);
  const assigned: string[][] = Array.from({ length: n }, () => []);
  for (const item of input.items) {
    for (let a = 0; a < n; a++) tie[a] = rand();
    order.sort((x, y) => load[x]! - load[y]! || tie[x]! - tie[y]!);
    for (let j = 0; j < input.overlap; j++) {
      const a = order[j]!;
      assigned[a]!.push(item);
      load[a]!++;
    }
  }
  return input.annotators.map((annotator, a) => ({ annotator, ...withGold(shuffle(assigned[a]!, rand), input.gold, input.goldShare, rand) }));
}

/**
 * One annotator's pack: its items (already in their order) with gold items drawn from `goldPool`
 * (each at most once) for the share `goldShare` of the pack, spread through it.
 */
export function withGold(own: readonly string[], goldPool: readonly string[], goldShare: number, rand: () => number): { items: PlannedItem[]; gold: number } {
  const wanted = goldShare > 0 ? Math.round((goldShare / (1 - goldShare)) * own.length) : 0;
  const goldCount = Math.min(goldPool.length, wanted);
  const gold = shuffle([...goldPool], rand).slice(0, goldCount);
  const total = own.length + goldCount;
  const at = goldPositions(total, goldCount, rand);
  const items: PlannedItem[] = [];
  let g = 0;
  let o = 0;
  for (let p = 0; p < total; p++) items.push(at.has(p) ? { itemId: gold[g++]!, gold: true } : { itemId: own[o++]!, gold: false });
  return { items, gold: goldCount };
}

export { shuffle };
