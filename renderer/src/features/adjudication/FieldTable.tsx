import { Badge, Group, Paper, Progress, Table, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { needsReason, sameValue, versionCssColor, versionValue } from './fields';
import { decisionSource, fieldTitle, reasonLabel, valueText, versionName } from './format';
import { useAdjudication } from './store';
import classes from './Adjudication.module.css';

/** Agreement as a colour: all agree, a majority, no majority. */
export function agreementColor(agreement: number, hasMajority: boolean): string {
  if (agreement >= 1) return 'teal';
  return hasMajority ? 'yellow' : 'red';
}

/** Every field of the item: what each version says (side by side), the agreement, and the decision so far. ↑/↓ move the current field. */
export function FieldTable({ text }: { text: string }) {
  const { t } = useTranslation();
  const item = useAdjudication((s) => s.item)!;
  const fields = useAdjudication((s) => s.fields);
  const fieldIndex = useAdjudication((s) => s.fieldIndex);
  const decisions = useAdjudication((s) => s.decisions);
  const reasons = useAdjudication((s) => s.settings?.reasonCodes ?? []);

  return (
    <Paper withBorder radius="md" data-testid="field-table">
      <Table verticalSpacing={6} horizontalSpacing="sm" aria-label={t('adjudication.fields.label')}>
        <Table.Thead>
          <Table.Tr>
            <Table.Th w={170}>{t('adjudication.fields.field')}</Table.Th>
            {item.versions.map((v, i) => (
              <Table.Th key={v.tag}>
                <span className={classes.versionChip} style={{ '--version-color': versionCssColor(i) } as React.CSSProperties}>
                  {versionName(v)}
                </span>
              </Table.Th>
            ))}
            <Table.Th w={120}>{t('adjudication.fields.agreement')}</Table.Th>
            <Table.Th>{t('adjudication.fields.decision')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {fields.map((f, row) => {
            const d = decisions[f.field];
            const missingReason = !!d && needsReason(f, d.value) && !d.reasonCode;
            const reason = reasonLabel(reasons, d?.reasonCode ?? null);
            return (
              <Table.Tr
                key={f.field}
                className={classes.fieldRow}
                data-current={row === fieldIndex || undefined}
                aria-current={row === fieldIndex || undefined}
                data-field={f.field}
                onClick={() => useAdjudication.setState({ fieldIndex: row })}
              >
                <Table.Td>
                  <Text size="sm" fw={600} lineClamp={1} title={fieldTitle(t, f, text)}>
                    {fieldTitle(t, f, text)}
                  </Text>
                </Table.Td>
                {item.versions.map((v, i) => {
                  const value = versionValue(f, i);
                  return (
                    <Table.Td key={v.tag}>
                      <Text size="sm" className={classes.cell} data-taken={(d && value !== undefined && sameValue(d.value, value)) || undefined} lineClamp={2}>
                        {value === undefined ? '—' : valueText(t, value, text)}
                      </Text>
                    </Table.Td>
                  );
                })}
                <Table.Td>
                  {f.options.length ? (
                    <Group gap={6} wrap="nowrap" data-agreement={f.agreement.toFixed(2)}>
                      <Progress value={f.agreement * 100} color={agreementColor(f.agreement, f.majority !== undefined)} size="sm" w={48} aria-hidden />
                      <Text size="xs" ff="monospace">
                        {Math.round(f.agreement * 100)}%
                      </Text>
                    </Group>
                  ) : (
                    <Badge size="xs" variant="light" color="grape">
                      {t('adjudication.fields.added')}
                    </Badge>
                  )}
                </Table.Td>
                <Table.Td>
                  {d ? (
                    <Group gap={4} wrap="wrap" data-decision={f.field}>
                      <Text size="sm" fw={600}>
                        {valueText(t, d.value, text)}
                      </Text>
                      <Badge size="xs" variant="outline" color="gray">
                        {decisionSource(t, d, item.versions)}
                      </Badge>
                      {reason && (
                        <Badge size="xs" variant="light" color="indigo" title={d.note || undefined}>
                          {reason}
                        </Badge>
                      )}
                      {missingReason && (
                        <Badge size="xs" color="orange" data-testid="reason-missing">
                          {t('adjudication.fields.needsReason')}
                        </Badge>
                      )}
                    </Group>
                  ) : (
                    <Badge size="sm" variant="light" color="orange" data-undecided={f.field}>
                      {t('adjudication.value.undecided')}
                    </Badge>
                  )}
                </Table.Td>
              </Table.Tr>
            );
          })}
        </Table.Tbody>
      </Table>
    </Paper>
  );
}
