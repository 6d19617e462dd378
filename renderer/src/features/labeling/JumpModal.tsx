import { useState } from 'react';
import { Alert, Button, Group, Modal, NumberInput, Stack } from '@mantine/core';
import { useTranslation } from 'react-i18next';

interface Props {
  opened: boolean;
  total: number;
  onJump(ord: number): Promise<boolean>;
  onClose(): void;
}

/** Go to an item by its number. */
export function JumpModal({ opened, total, onJump, onClose }: Props) {
  const { t } = useTranslation();
  return (
    <Modal opened={opened} onClose={onClose} title={t('labeling.jumpTitle')} size="sm">
      {opened && <JumpBody total={total} onJump={onJump} onClose={onClose} />}
    </Modal>
  );
}

function JumpBody({ total, onJump, onClose }: Omit<Props, 'opened'>) {
  const { t } = useTranslation();
  const [ord, setOrd] = useState<number | string>('');
  const [missing, setMissing] = useState(false);
  const go = async () => {
    const n = Number(ord);
    if (!Number.isInteger(n) || n < 1) return;
    if (await onJump(n)) onClose();
    else setMissing(true);
  };
  return (
    <Stack
      component="form"
      onSubmit={(e: React.FormEvent) => {
        e.preventDefault();
        void go();
      }}
    >
      <NumberInput data-autofocus label={t('labeling.jumpLabel', { total })} min={1} max={total} allowDecimal={false} value={ord} onChange={setOrd} />
      {missing && <Alert color="orange">{t('labeling.jumpMissing')}</Alert>}
      <Group justify="flex-end">
        <Button type="submit">{t('labeling.jumpGo')}</Button>
      </Group>
    </Stack>
  );
}
