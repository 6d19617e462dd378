import { useState } from 'react';
import { Badge, CloseButton, Group, Select, TextInput } from '@mantine/core';
import { IconSearch } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import type { QueueFilter } from '../../../../shared/contract/schemas';
import type { LabelSchema } from '../../../../shared/domain/labelSchema';

interface Props {
  schema: LabelSchema;
  filter: QueueFilter;
  onChange(filter: QueueFilter): void;
}

const STATUSES = ['unlabeled', 'all', 'flagged', 'skipped', 'submitted'] as const;
/** Suggestion-confidence bands: lowest first is how a reviewer wants to see risky items. */
const BANDS: Record<string, [number, number] | null> = { any: null, low: [0, 0.5], mid: [0.5, 0.8], high: [0.8, 1] };

/** Which items the queue walks: by status, by intent, by suggestion confidence, by text. */
export function QueueFilters({ schema, filter, onChange: change }: Props) {
  const { t } = useTranslation();
  // After choosing a queue the keys belong to labeling again, not to the field that had focus.
  const onChange = (next: QueueFilter) => {
    if (document.activeElement instanceof HTMLElement) document.activeElement.blur();
    change(next);
  };
  const [search, setSearch] = useState(filter.search ?? '');
  const band = Object.entries(BANDS).find(([, r]) => r && r[0] === filter.minScore && r[1] === filter.maxScore)?.[0] ?? 'any';
  return (
    <Group gap={6} wrap="nowrap" data-testid="queue-filters">
      {filter.auditId && (
        <Badge
          color="grape"
          variant="light"
          rightSection={<CloseButton size="xs" aria-label={t('labeling.auditLeave')} onClick={() => onChange({ ...filter, auditId: undefined })} />}
        >
          {t('labeling.auditQueue')}
        </Badge>
      )}
      <Select
        size="xs"
        w={120}
        aria-label={t('labeling.queue')}
        value={filter.status}
        allowDeselect={false}
        data={STATUSES.map((v) => ({ value: v, label: t(`labeling.filter_${v}`) }))}
        onChange={(v) => v && onChange({ ...filter, status: v as QueueFilter['status'] })}
      />
      <Select
        size="xs"
        w={150}
        aria-label={t('labeling.order')}
        value={filter.order ?? 'position'}
        allowDeselect={false}
        data={(['position', 'review'] as const).map((v) => ({ value: v, label: t(`labeling.order_${v}`) }))}
        onChange={(v) => v && onChange({ ...filter, order: v as 'position' | 'review' })}
      />
      <Select
        size="xs"
        w={140}
        aria-label={t('labeling.filterLabel')}
        placeholder={t('labeling.filterLabel')}
        clearable
        searchable
        value={filter.label ?? null}
        data={schema.intents.labels.map((l) => l.name)}
        onChange={(v) => onChange({ ...filter, label: v ?? undefined })}
      />
      <Select
        size="xs"
        w={130}
        aria-label={t('labeling.filterScore')}
        value={band}
        allowDeselect={false}
        data={Object.keys(BANDS).map((b) => ({ value: b, label: t(`labeling.score_${b}`) }))}
        onChange={(v) => {
          const range = v ? BANDS[v] : null;
          onChange({ ...filter, minScore: range?.[0], maxScore: range?.[1] });
        }}
      />
      <TextInput
        size="xs"
        w={150}
        leftSection={<IconSearch size={14} />}
        aria-label={t('labeling.filterSearch')}
        placeholder={t('labeling.filterSearch')}
        value={search}
        onChange={(e) => setSearch(e.currentTarget.value)}
        onKeyDown={(e) => {
          if (e.key === 'Enter') onChange({ ...filter, search: search.trim() || undefined });
        }}
        onBlur={() => (search.trim() || undefined) !== filter.search && onChange({ ...filter, search: search.trim() || undefined })}
      />
    </Group>
  );
}
