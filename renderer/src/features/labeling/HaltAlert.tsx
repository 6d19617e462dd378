import { useEffect, useRef } from 'react';
import type { ReactNode, Ref } from 'react';
import { Alert, Button, Group, Kbd, Stack, Text, type ButtonProps } from '@mantine/core';
import { useFocusReturn } from '@mantine/hooks';
import { IconAlertTriangle, IconRefresh, IconRestore } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { errorText } from '../../app/errors';
import { command, useCommands, useKeyLabel, useScope } from '../../commands';
import { useLabeling } from './store';

const halted = () => !!useLabeling.getState().halted;
const ALERT_COMMANDS = [
  command('alert.retry', () => void useLabeling.getState().retry(), halted),
  command('alert.reload', () => void useLabeling.getState().reload(), halted),
];

/**
 * Shown when a queued labeling step failed: what failed (the error code's message), that the keys
 * after it did not run, and the two ways on — retry the failed action, or give it up and reload the
 * item as stored. Until then it holds the keys ('alert' scope: Enter retries, Esc reloads) and has
 * focus; focus goes back to where it was once the alert is gone.
 */
export function HaltAlert() {
  const { t } = useTranslation();
  const halt = useLabeling((s) => s.halted);
  const open = !!halt;
  const retryButton = useRef<HTMLButtonElement>(null);
  useFocusReturn({ opened: open });
  useEffect(() => {
    if (open) retryButton.current?.focus();
  }, [open]);
  useScope('alert', open);
  useCommands(ALERT_COMMANDS, open);
  const retryKey = useKeyLabel('alert.retry');
  const reloadKey = useKeyLabel('alert.reload');
  if (!halt) return null;
  const { retry, reload } = useLabeling.getState();

  return (
    <Alert color="red" variant="light" icon={<IconAlertTriangle size={18} />} title={t('labeling.haltTitle')} data-testid="labeling-halted">
      <Stack gap={6}>
        <Text size="sm" fw={600} data-testid="labeling-halted-error">
          {errorText(t, halt.error)}
        </Text>
        <Text size="sm">{t('labeling.haltStopped')}</Text>
        {halt.dropped > 0 && <Text size="sm">{t('labeling.haltDropped', { n: halt.dropped })}</Text>}
        <Text size="sm">{t('labeling.haltHelp', { retry: retryKey, reload: reloadKey })}</Text>
        <Group gap="xs" mt={4}>
          <ActionButton ref={retryButton} color="red" icon={<IconRefresh size={14} />} keyLabel={retryKey} onClick={() => void retry()}>
            {t('labeling.haltRetry')}
          </ActionButton>
          <ActionButton variant="default" icon={<IconRestore size={14} />} keyLabel={reloadKey} onClick={() => void reload()}>
            {t('labeling.haltReload')}
          </ActionButton>
        </Group>
      </Stack>
    </Alert>
  );
}

/** One way on from the alert, with its key. */
function ActionButton({
  keyLabel,
  icon,
  onClick,
  children,
  ref,
  ...props
}: ButtonProps & { keyLabel: string; icon: ReactNode; onClick(): void; children: ReactNode; ref?: Ref<HTMLButtonElement> }) {
  return (
    <Button ref={ref} size="xs" leftSection={icon} rightSection={keyLabel ? <Kbd size="xs">{keyLabel}</Kbd> : null} onClick={onClick} {...props}>
      {children}
    </Button>
  );
}
