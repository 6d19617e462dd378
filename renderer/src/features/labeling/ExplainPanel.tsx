import { Paper, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { Explanation } from '../../../../shared/contract/schemas';
import { codePointToUtf16 } from '../../../../shared/domain/spans';

/** The item's text with each word shaded by how much it drove the suggested intent. */
export function ExplainPanel({ text, explanation }: { text: string; explanation: Explanation }) {
  const { t } = useTranslation();
  const max = Math.max(1e-6, ...explanation.pieces.map((p) => Math.abs(p.weight)));
  const parts: React.ReactNode[] = [];
  let at = 0;
  for (const p of explanation.pieces) {
    const start = codePointToUtf16(text, p.start);
    const end = codePointToUtf16(text, p.end);
    if (start > at) parts.push(text.slice(at, start));
    const strength = Math.min(1, Math.abs(p.weight) / max);
    const color = p.weight >= 0 ? '250, 82, 82' : '34, 139, 230';
    parts.push(
      <span
        key={p.start}
        data-weight={p.weight.toFixed(3)}
        title={`${p.weight >= 0 ? '+' : ''}${(p.weight * 100).toFixed(1)}%`}
        style={{ background: `rgba(${color}, ${0.12 + 0.6 * strength})`, borderRadius: 3, padding: '1px 1px' }}
      >
        {text.slice(start, end)}
      </span>,
    );
    at = end;
  }
  if (at < text.length) parts.push(text.slice(at));
  return (
    <Paper withBorder p="sm" radius="md" data-testid="explanation">
      <Text size="sm" fw={600}>
        {t('labeling.explainTitle', { label: explanation.label, score: Math.round(explanation.score * 100), version: explanation.modelVersion })}
      </Text>
      <Text size="lg" my={6} style={{ lineHeight: 2 }}>
        {parts}
      </Text>
      <Text size="xs" c="dimmed">
        {t('labeling.explainHelp')}
      </Text>
    </Paper>
  );
}
