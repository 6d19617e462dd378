import { describe, expect, it } from 'vitest';
import { DEFAULT_SCHEMA, LabelSchema } from '../../shared/domain/labelSchema';
import { searchIntents } from '../../renderer/src/features/labeling/intentSearch';

const labels = LabelSchema.parse(DEFAULT_SCHEMA).intents.labels;
const names = (q: string) => searchIntents(labels, q).map((m) => m.label.name);

describe('searchIntents', () => {
  it('finds intents by pinyin initials, as annotators type them', () => {
    expect(names('ts')).toEqual(['投诉']);
    expect(names('cxdd')).toEqual(['查询订单']);
    expect(names('wljd')).toEqual(['物流进度']);
  });

  it('finds intents by full pinyin and by part of the name', () => {
    expect(names('tousu')).toEqual(['投诉']);
    expect(names('订单')[0]).toBe('查询订单');
    expect(names('转人工')).toEqual(['其他/转人工']);
  });

  it('finds intents by their description, after name hits', () => {
    expect(names('快递')).toContain('物流进度');
    expect(names('退款')).toContain('退换货');
  });

  it('an empty query lists every intent in schema order; nonsense finds nothing', () => {
    expect(names('')).toEqual(labels.map((l) => l.name));
    expect(names('zzzzzz')).toEqual([]);
  });

  it('scales to hundreds of intents', () => {
    const many = Array.from({ length: 500 }, (_, i) => ({ name: `意图${i}号`, description: '', examples: [], hotkey: '', highRisk: false }));
    many.push({ name: '投诉升级', description: '', examples: [], hotkey: '', highRisk: true });
    expect(searchIntents(many, 'tssj').map((m) => m.label.name)).toEqual(['投诉升级']);
  });
});
