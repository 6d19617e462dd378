import { describe, expect, it } from 'vitest';
import { DEFAULT_COMMANDS, schemaCommands } from '../../renderer/src/commands/defaults';
import { commandMessages } from '../../renderer/src/commands/locales';
import { SCOPE_ORDER } from '../../renderer/src/commands/types';
import { DEFAULT_SCHEMA, LabelSchema } from '../../shared/domain/labelSchema';

function keys(obj: object, prefix = ''): string[] {
  return Object.entries(obj).flatMap(([k, v]) => (typeof v === 'string' ? [`${prefix}${k}`] : keys(v as object, `${prefix}${k}.`)));
}

function lookup(obj: object, path: string): unknown {
  return path.split('.').reduce<unknown>((o, p) => (o as Record<string, unknown> | undefined)?.[p], obj);
}

const languages = Object.entries(commandMessages);

describe('command messages', () => {
  it('zh-CN and en have the same keys and the same placeholders, none empty', () => {
    const zh = commandMessages['zh-CN'];
    expect(keys(commandMessages.en).sort()).toEqual(keys(zh).sort());
    const placeholders = (s: string) => (s.match(/\{\{\w+\}\}/g) ?? []).sort();
    for (const k of keys(zh)) {
      const [z, e] = [lookup(zh, k) as string, lookup(commandMessages.en, k) as string];
      expect(z.trim(), k).not.toBe('');
      expect(e.trim(), k).not.toBe('');
      expect(placeholders(e), k).toEqual(placeholders(z));
    }
  });

  it.each(languages)('%s has a title for every command, scope and group', (_lang, messages) => {
    const root = { commands: messages };
    const schema = schemaCommands(LabelSchema.parse(DEFAULT_SCHEMA), { intent: () => {}, entity: () => {}, sentiment: () => {} });
    for (const def of [...DEFAULT_COMMANDS, ...schema]) {
      expect(typeof lookup(root, def.titleKey), def.titleKey).toBe('string');
      expect(typeof lookup(messages, `groups.${def.group}`), def.group).toBe('string');
    }
    for (const scope of SCOPE_ORDER) expect(typeof lookup(messages, `scopes.${scope}`), scope).toBe('string');
  });

  it('zh-CN titles read naturally for annotators', () => {
    const zh = commandMessages['zh-CN'];
    expect(zh.labeling.submit).toBe('提交并下一条');
    expect(zh.labeling.acceptAll).toBe('接受全部建议');
    expect(zh.app.palette).toBe('命令面板');
  });
});
