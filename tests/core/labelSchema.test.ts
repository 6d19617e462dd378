import { describe, expect, it } from 'vitest';
import { DEFAULT_FALLBACK_INTENT, DEFAULT_SCHEMA, Hotkey, LabelSchema } from '../../shared/domain/labelSchema';
import type { ProjectDetail } from '../../shared/contract/schemas';
import { call, openCore } from './helpers';

const intentNames = (s: LabelSchema): string[] => s.intents.labels.map((l) => l.name);

describe('label schema: the fallback intent', () => {
  it('is added to an empty schema, with hotkey 0', () => {
    const s = LabelSchema.parse({});
    expect(DEFAULT_FALLBACK_INTENT).toBe('其他/转人工');
    expect(s.intents.fallback).toBe('其他/转人工');
    expect(s.intents.labels).toEqual([{ name: '其他/转人工', description: expect.any(String), examples: [], hotkey: '0', highRisk: false }]);
    expect(s.entities.types).toEqual([]);
    expect(s.sentiment.levels).toEqual([]);
  });

  it('is added after the given intents when they do not include it', () => {
    const s = LabelSchema.parse({
      intents: {
        labels: [
          { name: '查询订单', hotkey: '1' },
          { name: '投诉', hotkey: '2' },
        ],
      },
    });
    expect(intentNames(s)).toEqual(['查询订单', '投诉', '其他/转人工']);
  });

  it('is not duplicated when present (also after trimming, and when parsed again)', () => {
    const d = LabelSchema.parse(DEFAULT_SCHEMA);
    expect(intentNames(d).filter((n) => n === '其他/转人工')).toHaveLength(1);
    expect(intentNames(d)).toHaveLength(8);

    const spaced = LabelSchema.parse({ intents: { labels: [{ name: '  其他/转人工 ', hotkey: '9' }, { name: '投诉' }] } });
    expect(intentNames(spaced)).toEqual(['其他/转人工', '投诉']);
    expect(spaced.intents.labels[0]?.hotkey).toBe('9');

    expect(LabelSchema.parse(LabelSchema.parse(d))).toEqual(d);
  });

  it('follows a custom fallback name', () => {
    const s = LabelSchema.parse({ intents: { fallback: '转人工', labels: [{ name: '其他/转人工' }] } });
    expect(intentNames(s)).toEqual(['其他/转人工', '转人工']);
    expect(s.intents.fallback).toBe('转人工');
  });

  it('is present in the schema a project is created with and in every later version', async () => {
    const { core } = openCore();
    const p = await call<ProjectDetail>(core, 'projects.create', { name: 'p', schema: { intents: { labels: [{ name: '查询订单', hotkey: '1' }] } } });
    expect(intentNames(p.schema)).toEqual(['查询订单', '其他/转人工']);
    const stored = JSON.parse(
      (core.db.prepare('SELECT schema_json FROM label_schemas WHERE project_id = ?').get(p.id) as { schema_json: string }).schema_json,
    );
    expect(stored.intents.labels.map((l: { name: string }) => l.name)).toEqual(['查询订单', '其他/转人工']);

    const updated = await call<ProjectDetail>(core, 'projects.updateSchema', {
      projectId: p.id,
      schema: { intents: { labels: [{ name: '投诉' }] } },
    });
    expect(updated.schemaVersion).toBe(2);
    expect(intentNames(updated.schema)).toEqual(['投诉', '其他/转人工']);

    const fresh = await call<ProjectDetail>(core, 'projects.create', { name: 'default' });
    expect(intentNames(fresh.schema)).toEqual(intentNames(LabelSchema.parse(DEFAULT_SCHEMA)));
  });
});

describe('label schema: names', () => {
  it('rejects duplicate intent names', () => {
    const r = LabelSchema.safeParse({ intents: { labels: [{ name: '投诉' }, { name: '投诉' }] } });
    expect(r.success).toBe(false);
    expect(r.error?.issues[0]?.message).toBe('intent names must be unique');
    expect(r.error?.issues[0]?.path).toEqual(['intents', 'labels']);
  });

  it('rejects intent names that are duplicates once trimmed', () => {
    expect(LabelSchema.safeParse({ intents: { labels: [{ name: '投诉' }, { name: ' 投诉' }] } }).success).toBe(false);
  });

  it('rejects duplicate entity type and sentiment level names', () => {
    const e = LabelSchema.safeParse({ entities: { types: [{ name: '订单号' }, { name: '订单号' }] } });
    expect(e.success).toBe(false);
    expect(e.error?.issues.map((i) => i.message)).toContain('entity type names must be unique');
    const s = LabelSchema.safeParse({
      sentiment: {
        levels: [
          { name: '中性', value: 0 },
          { name: '中性', value: 1 },
        ],
      },
    });
    expect(s.success).toBe(false);
    expect(s.error?.issues.map((i) => i.message)).toContain('sentiment level names must be unique');
  });

  it('rejects empty names and bad colors', () => {
    expect(LabelSchema.safeParse({ intents: { labels: [{ name: '   ' }] } }).success).toBe(false);
    expect(LabelSchema.safeParse({ entities: { types: [{ name: '订单号', color: 'blue' }] } }).success).toBe(false);
    expect(LabelSchema.parse({ entities: { types: [{ name: '订单号', color: '#A0b1C2' }] } }).entities.types[0]?.color).toBe('#A0b1C2');
  });

  it('a duplicate name sent to projects.create is a VALIDATION error naming the field', async () => {
    const { core } = openCore();
    const r = await core.dispatch('projects.create', { name: 'dup', schema: { intents: { labels: [{ name: 'A' }, { name: 'A' }] } } });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error.code).toBe('VALIDATION');
    expect(r.error.message).toContain('schema.intents.labels: intent names must be unique');
    expect((core.db.prepare('SELECT count(*) AS n FROM projects').get() as { n: number }).n).toBe(0);
  });
});

describe('label schema: hotkeys', () => {
  it.each(['a', 'Z', '1', '0', '/', ';', 'ctrl+k', 'Ctrl+Shift+K', 'mod+1', 'alt+shift+x', '', '  a  '])('accepts %j', (key) => {
    expect(Hotkey.safeParse(key).success).toBe(true);
  });

  it.each(['ab', 'ctrl+', 'ctrl+ab', 'super+k', 'ctrl++', 'a b', 'ctrl + k', '+', 'shift+ ', 'x'.repeat(33)])('rejects %j', (key) => {
    const r = Hotkey.safeParse(key);
    expect(r.success).toBe(false);
  });

  it('gives a readable message and trims', () => {
    expect(Hotkey.parse('  ctrl+k ')).toBe('ctrl+k');
    const r = LabelSchema.safeParse({ intents: { labels: [{ name: '投诉', hotkey: 'ctrl+ab' }] } });
    expect(r.success).toBe(false);
    expect(r.error?.issues[0]?.message).toBe('hotkey must be one key, optionally with ctrl/alt/shift/mod');
    expect(r.error?.issues[0]?.path).toEqual(['intents', 'labels', 0, 'hotkey']);
    expect(LabelSchema.safeParse({ entities: { types: [{ name: '订单号', hotkey: 'oo' }] } }).success).toBe(false);
    expect(LabelSchema.safeParse({ sentiment: { levels: [{ name: '中性', value: 0, hotkey: 'xx' }] } }).success).toBe(false);
  });

  it('rejects two intents declared with the same hotkey (one would be unreachable from the keyboard)', () => {
    const r = LabelSchema.safeParse({
      intents: {
        labels: [
          { name: '查询订单', hotkey: '1' },
          { name: '投诉', hotkey: '1' },
        ],
      },
    });
    expect(r.success).toBe(false);
  });

  it('the fallback intent it adds does not take a hotkey another intent already has', () => {
    const s = LabelSchema.parse({ intents: { labels: [{ name: '查询订单', hotkey: '0' }] } });
    expect(intentNames(s)).toEqual(['查询订单', '其他/转人工']);
    const keys = s.intents.labels.map((l) => l.hotkey).filter(Boolean);
    expect(new Set(keys).size).toBe(keys.length);
  });
});
