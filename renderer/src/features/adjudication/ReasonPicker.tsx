import { useState, type KeyboardEvent } from 'react';
import { Badge, Button, Group, Kbd, Modal, Stack, Text, TextInput, UnstyledButton } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { ReasonCode } from '../../../../shared/contract/adjudication';
import classes from './Adjudication.module.css';

interface Props {
  opened: boolean;
  /** The field the reason is for, as the view titles it. */
  fieldTitle: string;
  reasons: ReasonCode[];
  current: { reasonCode: string | null; note: string } | null;
  /** Why it opened: the commit was refused because this field needs a reason. */
  required: boolean;
  onPick(reasonCode: string | null, note: string): void;
  onClose(): void;
}

/** The reason for deciding a field against the majority: 1–9 pick one, ↑/↓ and Enter too, 0 clears it; an optional note. */
export function ReasonPicker({ opened, fieldTitle, reasons, current, required, onPick, onClose }: Props) {
  const { t } = useTranslation();
  return (
    <Modal opened={opened} onClose={onClose} title={t('adjudication.reason.title', { field: fieldTitle })} size="md" data-testid="reason-picker">
      {opened && <ReasonBody reasons={reasons} current={current} required={required} onPick={onPick} onClose={onClose} />}
    </Modal>
  );
}

function ReasonBody({ reasons, current, required, onPick, onClose }: Omit<Props, 'opened' | 'fieldTitle'>) {
  const { t } = useTranslation();
  const [active, setActive] = useState(() => Math.max(0, reasons.findIndex((r) => r.code === current?.reasonCode)));
  const [note, setNote] = useState(current?.note ?? '');
  const pick = (code: string | null) => {
    onPick(code, note);
    onClose();
  };
  const onListKey = (e: KeyboardEvent<HTMLDivElement>) => {
    if (e.nativeEvent.isComposing || e.ctrlKey || e.metaKey || e.altKey) return;
    const digit = /^[1-9]$/.test(e.key) ? Number(e.key) - 1 : -1;
    if (digit >= 0 && digit < reasons.length) pick(reasons[digit]!.code);
    else if (e.key === 'ArrowDown') setActive((a) => Math.min(a + 1, reasons.length - 1));
    else if (e.key === 'ArrowUp') setActive((a) => Math.max(a - 1, 0));
    else if (e.key === 'Home') setActive(0);
    else if (e.key === 'End') setActive(reasons.length - 1);
    else if (e.key === 'Enter') pick(reasons[active]?.code ?? null);
    else if (e.key === '0' || e.key === 'Delete' || e.key === 'Backspace') pick(null);
    else return;
    e.preventDefault();
    e.stopPropagation();
  };
  return (
    <Stack gap="sm">
      <Text size="sm" c={required ? 'orange' : 'dimmed'}>
        {required ? t('adjudication.reason.required') : t('adjudication.reason.help')}
      </Text>
      <Stack
        gap={2}
        role="listbox"
        tabIndex={0}
        data-autofocus
        aria-label={t('adjudication.reason.list')}
        aria-activedescendant={`reason-${active}`}
        className={classes.reasonList}
        onKeyDown={onListKey}
        data-testid="reason-list"
      >
        {reasons.map((r, i) => (
          <UnstyledButton
            key={r.code}
            id={`reason-${i}`}
            role="option"
            aria-selected={i === active}
            className={classes.option}
            data-on={i === active || undefined}
            data-reason={r.code}
            tabIndex={-1}
            onClick={() => pick(r.code)}
          >
            <Group gap="sm" wrap="nowrap">
              <Kbd size="xs">{i < 9 ? i + 1 : ' '}</Kbd>
              <Text size="sm" fw={600} style={{ flex: 1 }}>
                {r.label}
              </Text>
              {r.guidelineRef && (
                <Badge size="xs" variant="light" color="gray">
                  § {r.guidelineRef}
                </Badge>
              )}
              {current?.reasonCode === r.code && <Badge size="xs">{t('adjudication.reason.chosen')}</Badge>}
            </Group>
          </UnstyledButton>
        ))}
      </Stack>
      <TextInput
        label={t('adjudication.reason.note')}
        placeholder={t('adjudication.reason.notePlaceholder')}
        value={note}
        onChange={(e) => setNote(e.currentTarget.value)}
        onKeyDown={(e) => {
          if (e.key === 'Enter' && !e.nativeEvent.isComposing) {
            e.preventDefault();
            pick(reasons[active]?.code ?? null);
          }
        }}
      />
      <Group justify="space-between">
        <Text size="xs" c="dimmed">
          {t('adjudication.reason.keys')}
        </Text>
        <Group gap="xs">
          {current?.reasonCode && (
            <Button variant="default" size="xs" onClick={() => pick(null)}>
              {t('adjudication.reason.clear')}
            </Button>
          )}
          <Button size="xs" onClick={() => pick(reasons[active]?.code ?? null)}>
            {t('adjudication.reason.confirm')}
          </Button>
        </Group>
      </Group>
    </Stack>
  );
}
