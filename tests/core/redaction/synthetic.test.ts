import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { detectPii, redactText } from '../../../electron/core/redaction';
import { codePointLength, spanText } from '../../../shared/domain/spans';
import { GOLD_TYPES, generateSyntheticSet, idCheck, luhnOk, score, type LabelledText, type TypeScore } from './synthetic';

const HANDWRITTEN = path.resolve(__dirname, '..', '..', 'fixtures', 'redaction', 'handwritten.jsonl');

function table(title: string, perType: Record<string, TypeScore>): string {
  const rows = GOLD_TYPES.map((t) => {
    const s = perType[t]!;
    return `  ${t.padEnd(12)} tp=${String(s.tp).padStart(5)} fp=${String(s.fp).padStart(3)} fn=${String(s.fn).padStart(3)}  precision=${s.precision.toFixed(4)}  recall=${s.recall.toFixed(4)}`;
  });
  return [title, ...rows].join('\n');
}

function report(title: string, items: LabelledText[]): Record<string, TypeScore> {
  const { perType, errors } = score(items, (text) => detectPii(text));
  console.log(table(title, perType));
  if (errors.length > 0)
    console.log(
      errors
        .slice(0, 15)
        .map((e) => `  ${e.kind} ${e.span.type} ${JSON.stringify(e.surface)} in ${JSON.stringify(e.text)}`)
        .join('\n'),
    );
  return perType;
}

describe('synthetic generator', () => {
  const items = generateSyntheticSet({ seed: 7, perType: 1000 });

  it('is deterministic for a seed and different across seeds', () => {
    expect(generateSyntheticSet({ seed: 7, perType: 50 })).toEqual(generateSyntheticSet({ seed: 7, perType: 50 }));
    expect(generateSyntheticSet({ seed: 8, perType: 50 })).not.toEqual(generateSyntheticSet({ seed: 7, perType: 50 }));
  });

  it('has at least 1,000 values per type with valid code-point spans', () => {
    for (const t of GOLD_TYPES) expect(items.flatMap((i) => i.pii).filter((p) => p.type === t).length).toBeGreaterThanOrEqual(1000);
    for (const item of items) {
      const n = codePointLength(item.text);
      for (const p of item.pii) {
        expect(p.start).toBeGreaterThanOrEqual(0);
        expect(p.end).toBeLessThanOrEqual(n);
        expect(p.end).toBeGreaterThan(p.start);
      }
    }
  });

  it('its positives satisfy their checksums (by its own implementation)', () => {
    const fold = (s: string): string => s.replace(/[０-９Ｘｘ]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0)).replace(/[^0-9Xx]/g, '');
    for (const item of items) {
      for (const p of item.pii) {
        const v = fold(spanText(item.text, p));
        if (p.type === 'resident-id') expect(idCheck(v.slice(0, 17))).toBe(v[17]!.toUpperCase());
        if (p.type === 'bank-card') expect(luhnOk(v)).toBe(true);
      }
    }
  });

  it('plants hard negatives: look-alikes, full-width digits, emoji and Extension B characters', () => {
    const all = items.map((i) => i.text).join('\n');
    for (const needle of ['订单号', '运单号', 'SF', '元', '¥', 'IMEI', 'QQ', '礼品卡卡号', '****', 'https://', '@2x.png', '400-820-8820'])
      expect(all).toContain(needle);
    expect(all).toMatch(/[０-９]{11}/);
    expect(all).toContain('𠮷');
    expect(all).toMatch(/\p{Extended_Pictographic}/u);
    // 11-digit numbers with a mobile prefix right after an order cue (only the context tells them apart)
    expect(all).toMatch(/订单号1[3-9]\d{9}(?!\d)/);
    // 18-digit ID-shaped numbers with a wrong check digit
    const idShaped = [...all.matchAll(/(?<!\d)(\d{6}(?:19|20)\d{2}[01]\d[0-3]\d\d{3}[\dX])(?![\dX])/g)].map((m) => m[1]!);
    expect(idShaped.some((s) => idCheck(s.slice(0, 17)) !== s[17])).toBe(true);
  });
});

describe('recognisers on the synthetic set', () => {
  it('recall >= 0.99 and precision >= 0.97 per type (two seeds)', () => {
    for (const seed of [20240611, 424242]) {
      const items = generateSyntheticSet({ seed, perType: 1200 });
      const perType = report(`synthetic set, seed ${seed}, ${items.length} texts:`, items);
      for (const t of GOLD_TYPES) {
        expect(perType[t]!.tp + perType[t]!.fn, t).toBeGreaterThanOrEqual(1000);
        expect(perType[t]!.recall, `${t} recall`).toBeGreaterThanOrEqual(0.99);
        expect(perType[t]!.precision, `${t} precision`).toBeGreaterThanOrEqual(0.97);
      }
    }
  });

  it('placeholder redaction leaves no gold value behind and every gold span still points at its replacement', () => {
    const items = generateSyntheticSet({ seed: 99, perType: 200 });
    let leaked = 0;
    for (const item of items) {
      const spans = item.pii.map((p) => ({ ...p, label: p.type }));
      const r = redactText(item.text, { mode: 'placeholder', spans });
      for (const [k, p] of item.pii.entries()) {
        const original = spanText(item.text, p);
        const rep = r.replacements.find((x) => x.start <= p.start && x.end >= p.end);
        if (!rep) {
          leaked++;
          continue;
        }
        expect(r.text.includes(original)).toBe(false);
        expect(spanText(r.text, r.spans[k]!)).toBe(rep.replacement);
        expect(r.spans[k]!.label).toBe(p.type);
      }
    }
    expect(leaked / items.flatMap((i) => i.pii).length).toBeLessThan(0.01);
  });
});

describe('recognisers on the hand-written set', () => {
  const items: LabelledText[] = readFileSync(HANDWRITTEN, 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as LabelledText);

  it('is a set of at least 60 sentences with valid spans', () => {
    expect(items.length).toBeGreaterThanOrEqual(60);
    for (const item of items) for (const p of item.pii) expect(p.end).toBeLessThanOrEqual(codePointLength(item.text));
    for (const t of GOLD_TYPES) expect(items.flatMap((i) => i.pii).filter((p) => p.type === t).length, t).toBeGreaterThanOrEqual(10);
  });

  it('recall >= 0.99 and precision >= 0.97 per type', () => {
    const perType = report(`hand-written set, ${items.length} texts:`, items);
    for (const t of GOLD_TYPES) {
      expect(perType[t]!.recall, `${t} recall`).toBeGreaterThanOrEqual(0.99);
      expect(perType[t]!.precision, `${t} precision`).toBeGreaterThanOrEqual(0.97);
    }
  });
});
