import { Badge, Group, Kbd, Paper, Stack, Text, UnstyledButton } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { LabelSchema } from '../../../../shared/domain/labelSchema';
import classes from './Labeling.module.css';

interface Props {
  schema: LabelSchema;
  chosen: string[];
  /** The model's intent suggestion, with its score. */
  suggested: { names: string[]; score: number | null } | null;
  onToggle(name: string): void;
  pickerKey: string;
}

const SHOWN = 12;

/** The intents with their keys; larger schemas show the keyed ones and leave the rest to the picker. */
export function IntentPanel({ schema, chosen, suggested, onToggle, pickerKey }: Props) {
  const { t } = useTranslation();
  const labels = schema.intents.labels;
  const keyed = labels.filter((l) => l.hotkey);
  const shown = labels.length <= SHOWN ? labels : [...keyed.slice(0, SHOWN), ...labels.filter((l) => chosen.includes(l.name) && !l.hotkey)];
  return (
    <Paper withBorder p="sm" radius="md">
      <Group justify="space-between" mb={6}>
        <Text fw={600} size="sm">
          {t('labeling.intent')}
          {schema.intents.multiLabel && (
            <Text span size="xs" c="dimmed" ml={6}>
              {t('labeling.multiLabel')}
            </Text>
          )}
        </Text>
        <Text size="xs" c="dimmed">
          {t('labeling.morePicker', { key: pickerKey, count: labels.length })}
        </Text>
      </Group>
      <Stack gap={4} data-testid="intent-panel">
        {shown.map((label) => {
          const on = chosen.includes(label.name);
          const isSuggested = suggested?.names.includes(label.name);
          return (
            <UnstyledButton
              key={label.name}
              className={classes.choice}
              data-on={on || undefined}
              data-intent={label.name}
              aria-pressed={on}
              onClick={() => onToggle(label.name)}
              tabIndex={-1}
            >
              <Group gap="xs" wrap="nowrap">
                <Kbd size="xs" className={classes.key}>
                  {label.hotkey || ' '}
                </Kbd>
                <Text size="sm" fw={on ? 700 : 500} style={{ flex: 1 }} truncate>
                  {label.name}
                </Text>
                {label.highRisk && (
                  <Badge size="xs" color="red" variant="light">
                    {t('labeling.highRisk')}
                  </Badge>
                )}
                {isSuggested && (
                  <Badge size="xs" variant="outline" color="grape">
                    {t('labeling.suggested')}
                    {suggested?.score !== null && suggested?.score !== undefined ? ` ${Math.round(suggested.score * 100)}%` : ''}
                  </Badge>
                )}
              </Group>
            </UnstyledButton>
          );
        })}
      </Stack>
    </Paper>
  );
}
