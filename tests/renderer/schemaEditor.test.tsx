import { useState } from 'react';
import { describe, expect, it } from 'vitest';
import { fireEvent, screen } from '@testing-library/react';
import { DEFAULT_SCHEMA, LabelSchema } from '../../shared/domain/labelSchema';
import { SchemaEditor, schemaProblems } from '../../renderer/src/features/projects/SchemaEditor';
import { renderWithTheme } from './render';

const t = (key: string, options?: Record<string, string>) => (options?.name ? `${key}:${options.name}` : key);

function Harness({ onChange }: { onChange(s: LabelSchema): void }) {
  const [schema, setSchema] = useState(() => LabelSchema.parse(DEFAULT_SCHEMA));
  return (
    <SchemaEditor
      value={schema}
      onChange={(next) => {
        setSchema(next);
        onChange(next);
      }}
    />
  );
}

describe('SchemaEditor', () => {
  it('adds an intent before the fallback, which stays last and cannot be removed', () => {
    let latest = LabelSchema.parse(DEFAULT_SCHEMA);
    renderWithTheme(<Harness onChange={(s) => (latest = s)} />);
    const removeButtons = screen.getAllByRole('button', { name: '删除' });
    expect(removeButtons).toHaveLength(latest.intents.labels.length - 1);
    fireEvent.click(screen.getByRole('button', { name: '添加意图' }));
    expect(latest.intents.labels).toHaveLength(9);
    expect(latest.intents.labels.at(-1)?.name).toBe('其他/转人工');
    expect(latest.intents.labels.at(-2)?.name).toBe('');
    const names = screen.getAllByRole('textbox', { name: '意图名称' });
    fireEvent.change(names[7]!, { target: { value: '催单' } });
    expect(latest.intents.labels[7]?.name).toBe('催单');
    expect(LabelSchema.safeParse(latest).success).toBe(true);
  });

  it('renaming the fallback renames the schema fallback too', () => {
    let latest = LabelSchema.parse(DEFAULT_SCHEMA);
    renderWithTheme(<Harness onChange={(s) => (latest = s)} />);
    const names = screen.getAllByRole('textbox', { name: '意图名称' });
    fireEvent.change(names.at(-1)!, { target: { value: '转人工' } });
    expect(latest.intents.fallback).toBe('转人工');
    expect(LabelSchema.parse(latest).intents.labels.filter((l) => l.name === '转人工')).toHaveLength(1);
  });

  it('reports empty and duplicate names', () => {
    const schema = LabelSchema.parse(DEFAULT_SCHEMA);
    expect(schemaProblems(schema, t)).toEqual([]);
    schema.intents.labels[1]!.name = '查询订单';
    schema.entities.types[0]!.name = ' ';
    expect(schemaProblems(schema, t)).toEqual(['schema.duplicateName:查询订单', 'schema.emptyName']);
  });
});
