import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { resolveItemLabels, resolveItemLabelsByFields, type ItemLabels } from '../../../electron/core/export/labels';
import type { ItemVersion } from '../../../electron/core/services/adjudication/versions';
import { LabelSchema } from '../../../shared/domain/labelSchema';

const schema = LabelSchema.parse({
  intents: { labels: [{ name: '退款' }, { name: '物流' }] },
  sentiment: { levels: [{ name: '积极', value: 1 }, { name: '消极', value: -1 }] },
  entities: { types: [{ name: '商品' }] },
});
const v = (intent: string | null, sentiment: string | null, entities: ItemVersion['entities'] = [], flagged = false): ItemVersion => ({
  annotatorId: Math.random().toString(36),
  annotatorName: 'x',
  intents: intent ? [intent] : [],
  sentiment,
  entities,
  flagged,
});
const item = (over: Partial<ItemLabels>): ItemLabels => ({ isGold: false, versions: [], skipped: false, state: null, decided: new Map(), ...over });
const consensus = { policy: 'consensus' as const, minAnnotators: 1, includeGold: false };
const adjudicated = { policy: 'adjudicated' as const, minAnnotators: 1, includeGold: false };

describe('export label policy', () => {
  it('consensus: what every submitting annotator gave, with at least N of them; else no consensus', () => {
    const agreed = item({ versions: [v('退款', '消极'), v('退款', '消极')] });
    expect(resolveItemLabels(agreed, schema, consensus)).toEqual({ intents: ['退款'], sentiment: '消极', entities: [] });
    expect(resolveItemLabels(agreed, schema, { ...consensus, minAnnotators: 3 })).toBe('too-few-annotators');
    expect(resolveItemLabels(item({ versions: [v('退款', '消极'), v('物流', '消极')] }), schema, consensus)).toBe('no-consensus');
    // N = 1 exports a single-annotator project.
    expect(resolveItemLabels(item({ versions: [v('物流', null)] }), schema, consensus)).toEqual({ intents: ['物流'], sentiment: null, entities: [] });
  });

  it('adjudicated: only resolved items, with the adjudicated values (a rejected cluster drops its spans)', () => {
    const versions = [v('退款', '消极', [{ start: 0, end: 2, label: '商品' }]), v('物流', '消极', [])];
    expect(resolveItemLabels(item({ versions }), schema, adjudicated)).toBe('unresolved');
    const decided = new Map<string, never>([
      ['intents', '物流' as never],
      ['sentiment', '消极' as never],
      ['entities:0-2', [] as never],
    ]);
    expect(resolveItemLabels(item({ versions, state: 'human', decided }), schema, adjudicated)).toEqual({ intents: ['物流'], sentiment: '消极', entities: [] });
    // consensus takes the adjudicated value first too
    expect(resolveItemLabels(item({ versions, state: 'human', decided }), schema, consensus)).toEqual({ intents: ['物流'], sentiment: '消极', entities: [] });
  });

  it('gold left out unless asked for; flagged and skipped items left out with their reason', () => {
    const gold = item({ isGold: true, versions: [v('退款', '积极')] });
    expect(resolveItemLabels(gold, schema, consensus)).toBe('gold');
    expect(resolveItemLabels(gold, schema, { ...consensus, includeGold: true })).toEqual({ intents: ['退款'], sentiment: '积极', entities: [] });
    expect(resolveItemLabels(item({ versions: [v('退款', null, [], true)] }), schema, consensus)).toBe('flagged');
    expect(resolveItemLabels(item({ skipped: true }), schema, consensus)).toBe('skipped');
    expect(resolveItemLabels(item({}), schema, consensus)).toBe('unlabeled');
  });

  it('the shortcut for versions that agree gives what building every field gives (single- and multi-label)', () => {
    const multi = LabelSchema.parse({ ...schema, intents: { multiLabel: true, labels: [{ name: '退款' }, { name: '物流' }, { name: '投诉' }] } });
    const span = fc.record({ start: fc.integer({ min: 0, max: 6 }), len: fc.integer({ min: 1, max: 3 }), label: fc.constantFrom('商品', '日期') });
    const version = fc.record({
      intents: fc.array(fc.constantFrom('退款', '物流', '投诉'), { maxLength: 3 }),
      sentiment: fc.constantFrom(null, '积极', '消极'),
      entities: fc.array(span.map((x) => ({ start: x.start, end: x.start + x.len, label: x.label })), { maxLength: 3 }),
    });
    // Often all versions the same (the shortcut), sometimes not (the fields decide).
    const versions = fc.tuple(version, fc.array(fc.option(version, { freq: 3 }), { maxLength: 3 })).map(([first, rest]) =>
      [first, ...rest.map((v) => v ?? { ...first, intents: [...first.intents].reverse(), entities: [...first.entities].reverse() })].map((x, i) => ({
        ...x,
        annotatorId: `a${i}`,
        annotatorName: '',
        flagged: false,
      })),
    );
    fc.assert(
      fc.property(versions, fc.boolean(), fc.integer({ min: 1, max: 3 }), (vs, useMulti, minAnnotators) => {
        const s = useMulti ? multi : schema;
        const o = { ...consensus, minAnnotators };
        expect(resolveItemLabels(item({ versions: vs }), s, o)).toEqual(resolveItemLabelsByFields(item({ versions: vs }), s, o));
      }),
      { numRuns: 2000 },
    );
  });
});

