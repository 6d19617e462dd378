import type { ReactNode } from 'react';
import { Badge, Divider, Group, Kbd, Paper, Stack, Text, UnstyledButton } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { agreementColor } from './FieldTable';
import { isEntityField, needsReason, sameValue, versionCssColor, versionValue } from './fields';
import { fieldTitle, reasonLabel, valueText, versionName } from './format';
import { useAdjudication } from './store';
import classes from './Adjudication.module.css';

interface Keys {
  prefill: string;
  reject: string;
  edit: string;
  reason: string;
  nextField: string;
}

function Row({ keyLabel, onClick, on, children, testid }: { keyLabel: string; onClick(): void; on?: boolean; children: ReactNode; testid?: string }) {
  return (
    <UnstyledButton className={classes.option} data-on={on || undefined} tabIndex={-1} onClick={onClick} data-testid={testid}>
      <Group gap="xs" wrap="nowrap" align="flex-start">
        <Kbd size="xs">{keyLabel}</Kbd>
        <div style={{ flex: 1, minWidth: 0 }}>{children}</div>
      </Group>
    </UnstyledButton>
  );
}

/** The current field: each version's value with its key, the pre-fill, and the keys that decide it. */
export function FieldPanel({ keys }: { keys: Keys }) {
  const { t } = useTranslation();
  const st = useAdjudication();
  const item = st.item!;
  const field = st.fields[st.fieldIndex]!;
  const decision = st.decisions[field.field];
  const reasons = st.settings?.reasonCodes ?? [];
  const text = item.text;
  const reason = reasonLabel(reasons, decision?.reasonCode ?? null);
  const missingReason = !!decision && needsReason(field, decision.value) && !decision.reasonCode;

  return (
    <Paper withBorder p="sm" radius="md" data-testid="field-panel" data-field={field.field}>
      <Group justify="space-between" mb={6} wrap="nowrap">
        <Text fw={700} size="sm" lineClamp={1}>
          {fieldTitle(t, field, text)}
        </Text>
        <Text size="xs" c="dimmed" style={{ whiteSpace: 'nowrap' }}>
          {t('adjudication.panel.position', { n: st.fieldIndex + 1, total: st.fields.length })}
        </Text>
      </Group>
      {field.options.length > 0 && (
        <Group gap={6} mb="xs">
          <Badge size="sm" variant="light" color={agreementColor(field.agreement, field.majority !== undefined)}>
            {t('adjudication.panel.agreement', { percent: Math.round(field.agreement * 100) })}
          </Badge>
          <Text size="xs" c="dimmed">
            {field.majority !== undefined ? t('adjudication.panel.majority', { value: valueText(t, field.majority, text) }) : t('adjudication.panel.noMajority')}
          </Text>
        </Group>
      )}
      <Stack gap={2} data-testid="version-options">
        {item.versions.map((v, i) => {
          const value = versionValue(field, i);
          const taken = !!decision && value !== undefined && sameValue(decision.value, value);
          return (
            <Row key={v.tag} keyLabel={i < 9 ? String(i + 1) : ' '} on={taken} onClick={() => st.take(i)} testid={`take-${v.tag}`}>
              <Group gap={6} wrap="nowrap">
                <span className={classes.versionChip} style={{ '--version-color': versionCssColor(i) } as React.CSSProperties}>
                  {versionName(v)}
                </span>
                <Text size="sm" fw={taken ? 700 : 500} lineClamp={2}>
                  {value === undefined ? '—' : valueText(t, value, text)}
                </Text>
              </Group>
            </Row>
          );
        })}
        <Divider my={4} />
        <Row keyLabel={keys.prefill} on={decision?.via === 'prefill'} onClick={st.takePrefill}>
          <Text size="sm">
            {field.prefill !== undefined ? t('adjudication.panel.prefill', { value: valueText(t, field.prefill, text) }) : t('adjudication.panel.noPrefill')}
          </Text>
        </Row>
        {isEntityField(field) && (
          <>
            <Row keyLabel={keys.reject} on={decision?.via === 'reject'} onClick={st.rejectCluster}>
              <Text size="sm">{t('adjudication.panel.reject')}</Text>
            </Row>
            <Row keyLabel={keys.edit} on={decision?.via === 'edit'} onClick={st.startEdit}>
              <Text size="sm">{t('adjudication.panel.edit')}</Text>
            </Row>
          </>
        )}
        <Row keyLabel={keys.reason} onClick={() => st.setDialog('reason')}>
          <Group gap={6} wrap="nowrap">
            <Text size="sm">{t('adjudication.panel.reason')}</Text>
            {reason ? (
              <Badge size="sm" variant="light" color="indigo" data-testid="reason-chosen">
                {reason}
              </Badge>
            ) : (
              <Text size="sm" c={missingReason ? 'orange' : 'dimmed'}>
                {missingReason ? t('adjudication.fields.needsReason') : t('adjudication.panel.noReason')}
              </Text>
            )}
          </Group>
        </Row>
      </Stack>
      <Text size="xs" c="dimmed" mt="xs">
        {t('adjudication.panel.decision')}{' '}
        <Text span size="xs" fw={700} c="var(--mantine-color-text)" data-testid="current-decision">
          {decision ? valueText(t, decision.value, text) : t('adjudication.value.undecided')}
        </Text>
      </Text>
    </Paper>
  );
}
