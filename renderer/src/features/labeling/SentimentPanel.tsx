import { Group, Kbd, Paper, Text, UnstyledButton } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { LabelSchema } from '../../../../shared/domain/labelSchema';
import classes from './Labeling.module.css';

interface Props {
  schema: LabelSchema;
  value: string | null;
  suggested: string | null;
  onChoose(level: string): void;
}

/** One key per sentiment level. */
export function SentimentPanel({ schema, value, suggested, onChoose }: Props) {
  const { t } = useTranslation();
  if (!schema.sentiment.levels.length) return null;
  return (
    <Paper withBorder p="sm" radius="md">
      <Text fw={600} size="sm" mb={6}>
        {t('labeling.sentiment')}
      </Text>
      <Group gap={6} grow data-testid="sentiment-panel">
        {schema.sentiment.levels.map((level) => (
          <UnstyledButton
            key={level.name}
            className={classes.choice}
            data-on={value === level.name || undefined}
            data-sentiment={level.name}
            aria-pressed={value === level.name}
            onClick={() => onChoose(level.name)}
            tabIndex={-1}
          >
            <Group gap={6} justify="center" wrap="nowrap">
              {level.hotkey && (
                <Kbd size="xs" className={classes.key}>
                  {level.hotkey}
                </Kbd>
              )}
              <Text size="sm" fw={value === level.name ? 700 : 500}>
                {level.name}
              </Text>
              {suggested === level.name && value !== level.name && (
                <Text size="xs" c="grape">
                  ·
                </Text>
              )}
            </Group>
          </UnstyledButton>
        ))}
      </Group>
    </Paper>
  );
}
