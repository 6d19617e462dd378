import { useState } from 'react';
import { Button, Group, MultiSelect, TextInput, type ComboboxData } from '@mantine/core';
import { IconFilter, IconFilterOff } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import type { ReportAnnotator, ReportFilter } from '../../../../shared/contract/reports';
import { dayEnd, dayStart, isoToDay } from './dates';
import { EMPTY_FILTER } from './store';

interface Props {
  filter: ReportFilter;
  annotators: ReportAnnotator[];
  /** Labels to filter by, grouped by task. */
  labels: ComboboxData;
  loading: boolean;
  onApply(filter: ReportFilter): void;
}

/** Date range, annotators and labels; nothing is fetched until the user applies them (Enter in any field). */
export function ReportFilters({ filter, annotators, labels, loading, onApply }: Props) {
  const { t } = useTranslation();
  const [from, setFrom] = useState(() => isoToDay(filter.from));
  const [to, setTo] = useState(() => isoToDay(filter.to, true));
  const [annotatorIds, setAnnotatorIds] = useState(filter.annotatorIds);
  const [labelNames, setLabelNames] = useState(filter.labels);
  const backwards = !!from && !!to && from > to;

  const apply = () => {
    if (backwards) return;
    onApply({ from: dayStart(from), to: dayEnd(to), annotatorIds, labels: labelNames });
  };
  const reset = () => {
    setFrom('');
    setTo('');
    setAnnotatorIds([]);
    setLabelNames([]);
    onApply(EMPTY_FILTER);
  };

  return (
    <Group
      component="form"
      gap="sm"
      align="flex-end"
      wrap="wrap"
      aria-label={t('reports.filters')}
      data-testid="report-filters"
      onSubmit={(e: React.FormEvent) => {
        e.preventDefault();
        apply();
      }}
    >
      <TextInput type="date" label={t('reports.from')} value={from} onChange={(e) => setFrom(e.currentTarget.value)} w={160} />
      <TextInput
        type="date"
        label={t('reports.to')}
        value={to}
        onChange={(e) => setTo(e.currentTarget.value)}
        w={160}
        error={backwards ? t('reports.toBeforeFrom') : undefined}
      />
      <MultiSelect
        label={t('reports.annotators')}
        placeholder={annotatorIds.length ? undefined : t('reports.everyone')}
        data={annotators.map((a) => ({ value: a.id, label: a.name }))}
        value={annotatorIds}
        onChange={setAnnotatorIds}
        searchable
        clearable
        w={260}
        data-testid="filter-annotators"
      />
      <MultiSelect
        label={t('reports.labels')}
        placeholder={labelNames.length ? undefined : t('reports.allLabels')}
        data={labels}
        value={labelNames}
        onChange={setLabelNames}
        searchable
        clearable
        w={300}
        data-testid="filter-labels"
      />
      <Button type="submit" leftSection={<IconFilter size={16} />} loading={loading} disabled={backwards} data-testid="filter-apply">
        {t('reports.apply')}
      </Button>
      <Button variant="subtle" leftSection={<IconFilterOff size={16} />} onClick={reset} disabled={loading}>
        {t('reports.reset')}
      </Button>
    </Group>
  );
}
