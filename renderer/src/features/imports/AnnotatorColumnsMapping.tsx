import { Alert, List, MultiSelect, Select, SimpleGrid, Stack, Text } from '@mantine/core';
import { IconAlertTriangle, IconUsers } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import type { AnnotatorColumnsInfo, ColumnMapping } from '../../../../shared/contract/schemas';

/** The mapping the dialog starts from: what the core detected in the header ("" is "none"). */
export function annotatorColumnsDefaults(info: AnnotatorColumnsInfo): Partial<ColumnMapping> {
  const d = info.defaults;
  return {
    ...(d.text ? { text: d.text } : {}),
    id: d.id ?? '',
    sentimentField: d.sentimentField ?? '',
    intentField: d.intentField ?? '',
    intentFlags: d.intentFlags,
  };
}

/** The request's mapping: every choice explicit, so the core detects nothing the user did not see. */
export function annotatorColumnsRequest(mapping: Partial<ColumnMapping>): ColumnMapping | undefined {
  if (!mapping.text) return undefined;
  return {
    text: mapping.text,
    id: mapping.id ?? '',
    sentimentField: mapping.sentimentField ?? '',
    intentField: mapping.intentField ?? '',
    intentFlags: mapping.intentFlags ?? [],
  };
}

interface Props {
  info: AnnotatorColumnsInfo;
  mapping: Partial<ColumnMapping>;
  onChange(update: (m: Partial<ColumnMapping>) => Partial<ColumnMapping>): void;
}

/** For a CSV with one column group per annotator: who was found, and which fields become which labels. */
export function AnnotatorColumnsMapping({ info, mapping, onChange }: Props) {
  const { t } = useTranslation();
  const separator = t('imports.listSeparator');
  const none = t('imports.notMapped');
  const columns = info.otherColumns.map((c) => ({ value: c, label: c }));
  const oneHot = info.oneHotFields.map((f) => ({ value: f.name, label: `${f.name} (${f.values.join(' / ')})` }));
  const intents = [mapping.intentField, ...(mapping.intentFlags ?? [])].filter((f): f is string => !!f);

  if (!info.annotators.length) {
    return (
      <Alert color="orange" icon={<IconAlertTriangle />} data-testid="annotator-columns">
        {t('imports.noAnnotators')}
      </Alert>
    );
  }
  return (
    <Stack gap="xs" data-testid="annotator-columns">
      <Alert color="blue" icon={<IconUsers />} data-testid="annotator-summary">
        {t('imports.annotatorSummary', {
          count: info.annotators.length,
          names: info.annotators.join(separator),
          sentiment: mapping.sentimentField || none,
          intents: intents.length ? intents.join(separator) : none,
        })}
      </Alert>
      <SimpleGrid cols={2}>
        <Select
          label={t('imports.textColumn')}
          data={columns}
          value={mapping.text ?? null}
          onChange={(v) => onChange((m) => ({ ...m, text: v ?? undefined }))}
          required
        />
        <Select
          label={t('imports.idColumn')}
          data={columns}
          placeholder={none}
          clearable
          value={mapping.id || null}
          onChange={(v) => onChange((m) => ({ ...m, id: v ?? '' }))}
        />
        <Select
          label={t('imports.sentimentField')}
          data={oneHot}
          placeholder={none}
          clearable
          value={mapping.sentimentField || null}
          onChange={(v) => onChange((m) => ({ ...m, sentimentField: v ?? '' }))}
        />
        <Select
          label={t('imports.intentField')}
          data={oneHot}
          placeholder={none}
          clearable
          value={mapping.intentField || null}
          onChange={(v) => onChange((m) => ({ ...m, intentField: v ?? '' }))}
        />
      </SimpleGrid>
      <MultiSelect
        label={t('imports.intentFlags')}
        data={info.flagFields}
        placeholder={mapping.intentFlags?.length ? undefined : none}
        clearable
        value={mapping.intentFlags ?? []}
        onChange={(v) => onChange((m) => ({ ...m, intentFlags: v }))}
      />
      {info.warnings.length > 0 && (
        <div>
          <Text size="sm" fw={500}>
            {t('imports.headerNotes')}
          </Text>
          <List size="xs" c="dimmed">
            {info.warnings.map((w) => (
              <List.Item key={w}>{w}</List.Item>
            ))}
          </List>
        </div>
      )}
    </Stack>
  );
}
