import { describe, expect, it } from 'vitest';
import { zhCN } from '../../renderer/src/app/locales/zh-CN';
import { en } from '../../renderer/src/app/locales/en';
import { ERROR_CODES } from '../../shared/contract/errors';

function keys(obj: object, prefix = ''): string[] {
  return Object.entries(obj).flatMap(([k, v]) => (typeof v === 'string' ? [`${prefix}${k}`] : keys(v as object, `${prefix}${k}.`)));
}

function values(obj: object): string[] {
  return Object.values(obj).flatMap((v) => (typeof v === 'string' ? [v] : values(v as object)));
}

describe('translations', () => {
  it('zh-CN and en have exactly the same keys', () => {
    expect(keys(en).sort()).toEqual(keys(zhCN).sort());
  });

  it('no message is empty, and the same placeholders appear in both languages', () => {
    for (const v of [...values(zhCN), ...values(en)]) expect(v.trim()).not.toBe('');
    const placeholders = (s: string) => (s.match(/\{\{\w+\}\}/g) ?? []).sort();
    const flat = (o: object) =>
      Object.fromEntries(keys(o).map((k) => [k, k.split('.').reduce<unknown>((x, p) => (x as Record<string, unknown>)[p], o) as string]));
    const z = flat(zhCN);
    const e = flat(en);
    for (const k of Object.keys(z)) expect(placeholders(e[k]!), k).toEqual(placeholders(z[k]!));
  });

  it('every error code the core can send has a message in both languages', () => {
    for (const code of ERROR_CODES) {
      expect(zhCN.errors[code]).toBeTruthy();
      expect(en.errors[code]).toBeTruthy();
    }
  });
});
