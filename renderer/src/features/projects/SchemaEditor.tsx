import { Checkbox, ColorInput, NumberInput, Stack, Switch, Tabs, TagsInput, Text, Tooltip } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { LabelSchema } from '../../../../shared/domain/labelSchema';
import { LabelTable, TextCell } from './LabelTable';

interface Props {
  value: LabelSchema;
  onChange(value: LabelSchema): void;
}

/** Problems that would make the schema invalid, in the user's language. */
export function schemaProblems(schema: LabelSchema, t: (key: string, options?: Record<string, string>) => string): string[] {
  const problems: string[] = [];
  const check = (names: string[]) => {
    const seen = new Set<string>();
    for (const raw of names) {
      const name = raw.trim();
      if (!name) problems.push(t('schema.emptyName'));
      else if (seen.has(name)) problems.push(t('schema.duplicateName', { name }));
      seen.add(name);
    }
  };
  check(schema.intents.labels.map((l) => l.name));
  check(schema.entities.types.map((e) => e.name));
  check(schema.sentiment.levels.map((l) => l.name));
  return [...new Set(problems)];
}

/** Edits intents, entity types and sentiment levels of a project's label schema. */
export function SchemaEditor({ value, onChange }: Props) {
  const { t } = useTranslation();
  const update = (fn: (draft: LabelSchema) => void) => {
    const next = structuredClone(value);
    fn(next);
    onChange(next);
  };
  const fallback = value.intents.fallback;
  const hotkeyColumn = <T extends { hotkey: string }>(rows: (d: LabelSchema) => T[]) => ({
    header: t('schema.hotkey'),
    width: 70,
    cell: (row: T, i: number) => (
      <TextCell label={t('schema.hotkey')} maxLength={1} value={row.hotkey} onChange={(v) => update((d) => void (rows(d)[i]!.hotkey = v))} />
    ),
  });

  return (
    <Tabs defaultValue="intents" keepMounted={false}>
      <Tabs.List>
        <Tabs.Tab value="intents">
          {t('schema.intents')} ({value.intents.labels.length})
        </Tabs.Tab>
        <Tabs.Tab value="entities">
          {t('schema.entities')} ({value.entities.types.length})
        </Tabs.Tab>
        <Tabs.Tab value="sentiment">
          {t('schema.sentiment')} ({value.sentiment.levels.length})
        </Tabs.Tab>
      </Tabs.List>

      <Tabs.Panel value="intents" pt="md">
        <Stack gap="sm">
          <Switch
            label={t('schema.multiLabel')}
            checked={value.intents.multiLabel}
            onChange={(e) => update((d) => void (d.intents.multiLabel = e.currentTarget.checked))}
          />
          <LabelTable
            testId="intent-table"
            rows={value.intents.labels}
            canRemove={(label) => label.name !== fallback}
            onRemove={(i) => update((d) => void d.intents.labels.splice(i, 1))}
            addLabel={t('schema.addIntent')}
            onAdd={() =>
              update((d) => {
                // New intents go before the fallback, which stays last.
                const at = d.intents.labels.findIndex((l) => l.name === d.intents.fallback);
                d.intents.labels.splice(at < 0 ? d.intents.labels.length : at, 0, {
                  name: '',
                  description: '',
                  examples: [],
                  hotkey: '',
                  highRisk: false,
                });
              })
            }
            extra={
              <Text size="xs" c="dimmed">
                {t('schema.fallback')}: {fallback}
              </Text>
            }
            columns={[
              {
                header: t('schema.intentName'),
                width: '22%',
                cell: (label, i) => (
                  <TextCell
                    label={t('schema.intentName')}
                    value={label.name}
                    description={label.name === fallback ? t('schema.fallbackHelp') : undefined}
                    onChange={(name) =>
                      update((d) => {
                        if (label.name === fallback) d.intents.fallback = name;
                        d.intents.labels[i]!.name = name;
                      })
                    }
                  />
                ),
              },
              {
                header: t('schema.intentDescription'),
                cell: (label, i) => (
                  <TextCell
                    label={t('schema.intentDescription')}
                    value={label.description}
                    onChange={(v) => update((d) => void (d.intents.labels[i]!.description = v))}
                  />
                ),
              },
              {
                header: t('schema.examples'),
                width: '24%',
                cell: (label, i) => (
                  <TagsInput
                    size="xs"
                    aria-label={t('schema.examples')}
                    placeholder={label.examples.length ? undefined : t('schema.examplesPlaceholder')}
                    value={label.examples}
                    onChange={(examples) => update((d) => void (d.intents.labels[i]!.examples = examples))}
                  />
                ),
              },
              hotkeyColumn((d) => d.intents.labels),
              {
                header: (
                  <Tooltip label={t('schema.highRiskHelp')}>
                    <span>{t('schema.highRisk')}</span>
                  </Tooltip>
                ),
                width: 60,
                cell: (label, i) => (
                  <Checkbox
                    aria-label={t('schema.highRisk')}
                    checked={label.highRisk}
                    onChange={(e) => update((d) => void (d.intents.labels[i]!.highRisk = e.currentTarget.checked))}
                  />
                ),
              },
            ]}
          />
        </Stack>
      </Tabs.Panel>

      <Tabs.Panel value="entities" pt="md">
        <Stack gap="sm">
          <Switch
            label={t('schema.allowOverlap')}
            checked={value.entities.allowOverlap}
            onChange={(e) => update((d) => void (d.entities.allowOverlap = e.currentTarget.checked))}
          />
          <LabelTable
            rows={value.entities.types}
            onRemove={(i) => update((d) => void d.entities.types.splice(i, 1))}
            addLabel={t('schema.addEntity')}
            onAdd={() => update((d) => void d.entities.types.push({ name: '', color: '#228be6', hotkey: '', description: '', personal: false }))}
            columns={[
              {
                header: t('schema.entityName'),
                cell: (type, i) => (
                  <TextCell label={t('schema.entityName')} value={type.name} onChange={(v) => update((d) => void (d.entities.types[i]!.name = v))} />
                ),
              },
              {
                header: t('schema.color'),
                width: 160,
                cell: (type, i) => (
                  <ColorInput
                    size="xs"
                    aria-label={t('schema.color')}
                    format="hex"
                    value={type.color}
                    onChange={(color) => update((d) => void (d.entities.types[i]!.color = color))}
                  />
                ),
              },
              hotkeyColumn((d) => d.entities.types),
              {
                header: (
                  <Tooltip label={t('schema.personalHelp')}>
                    <span>{t('schema.personal')}</span>
                  </Tooltip>
                ),
                width: 60,
                cell: (type, i) => (
                  <Checkbox
                    aria-label={t('schema.personal')}
                    checked={type.personal}
                    onChange={(e) => update((d) => void (d.entities.types[i]!.personal = e.currentTarget.checked))}
                  />
                ),
              },
            ]}
          />
        </Stack>
      </Tabs.Panel>

      <Tabs.Panel value="sentiment" pt="md">
        <Stack gap="sm">
          <LabelTable
            rows={value.sentiment.levels}
            onRemove={(i) => update((d) => void d.sentiment.levels.splice(i, 1))}
            addLabel={t('schema.addLevel')}
            onAdd={() =>
              update((d) => {
                const value = d.sentiment.levels.reduce((m, l) => Math.max(m, l.value), -1) + 1;
                d.sentiment.levels.push({ name: '', value, hotkey: '' });
              })
            }
            columns={[
              {
                header: t('schema.levelName'),
                cell: (level, i) => (
                  <TextCell
                    label={t('schema.levelName')}
                    value={level.name}
                    onChange={(v) => update((d) => void (d.sentiment.levels[i]!.name = v))}
                  />
                ),
              },
              {
                header: t('schema.value'),
                width: 120,
                cell: (level, i) => (
                  <NumberInput
                    size="xs"
                    aria-label={t('schema.value')}
                    allowDecimal={false}
                    value={level.value}
                    onChange={(v) => update((d) => void (d.sentiment.levels[i]!.value = Number(v) || 0))}
                  />
                ),
              },
              hotkeyColumn((d) => d.sentiment.levels),
            ]}
          />
        </Stack>
      </Tabs.Panel>
    </Tabs>
  );
}
