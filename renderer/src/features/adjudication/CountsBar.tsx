import { Group, Paper, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { AdjudicationCounts, AdjudicationState } from '../../../../shared/contract/adjudication';
import classes from './Adjudication.module.css';

export const STATES: readonly AdjudicationState[] = ['disputed', 'flagged', 'human', 'auto'];
export const STATE_COLORS: Record<AdjudicationState, string> = { disputed: 'orange', flagged: 'red', human: 'teal', auto: 'indigo' };

/** The queue's count per state, always in view: what is open (disputed, flagged) and what is decided (by a person, automatically). */
export function CountsBar({ counts, active }: { counts: AdjudicationCounts | null; active?: AdjudicationState | undefined }) {
  const { t, i18n } = useTranslation();
  return (
    <Group gap={6} wrap="nowrap" data-testid="adjudication-counts" role="group" aria-label={t('adjudication.counts.label')}>
      {STATES.map((state) => (
        <Paper
          key={state}
          withBorder
          radius="md"
          px={10}
          py={4}
          className={classes.count}
          data-state={state}
          data-active={active === state || undefined}
          style={{ '--count-color': `var(--mantine-color-${STATE_COLORS[state]}-6)` } as React.CSSProperties}
        >
          <Group gap={6} wrap="nowrap">
            <span className={classes.countDot} aria-hidden />
            <Text size="xs" c="dimmed">
              {t(`adjudication.state.${state}`)}
            </Text>
            <Text size="sm" fw={700} ff="monospace" data-count={state}>
              {counts ? counts[state].toLocaleString(i18n.language) : '–'}
            </Text>
          </Group>
        </Paper>
      ))}
    </Group>
  );
}
