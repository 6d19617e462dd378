import type { ComboboxData } from '@mantine/core';
import type { TFunction } from 'i18next';
import type { ProjectReport, ReportTask } from '../../../../shared/contract/reports';
import type { LabelSchema } from '../../../../shared/domain/labelSchema';
import { TASKS } from './format';

function schemaLabels(schema: LabelSchema | null, task: ReportTask): string[] {
  if (!schema) return [];
  if (task === 'intents') return schema.intents.labels.map((l) => l.name);
  if (task === 'sentiment') return schema.sentiment.levels.map((l) => l.name);
  return schema.entities.types.map((e) => e.name);
}

/**
 * The labels to filter by, grouped by task: the schema's, then any the report found that the schema
 * no longer has, then any already chosen. A name used by two tasks is offered once (the filter is by name).
 */
export function labelOptions(t: TFunction, schema: LabelSchema | null, report: ProjectReport | null, chosen: readonly string[]): ComboboxData {
  const seen = new Set<string>();
  const fresh = (name: string) => {
    if (seen.has(name)) return false;
    seen.add(name);
    return true;
  };
  const groups = TASKS.map((task) => ({
    group: t(`reports.task_${task}`),
    items: [...schemaLabels(schema, task), ...(report?.perLabel ?? []).filter((l) => l.task === task).map((l) => l.label)].filter(fresh),
  }));
  const rest = chosen.filter(fresh);
  if (rest.length) groups.push({ group: t('reports.otherLabels'), items: rest });
  return groups.filter((g) => g.items.length > 0);
}
