import { useState } from 'react';
import { Alert, Button, Group, Modal, Stack, Text, TextInput } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { ModelStatusView } from '../../../../shared/contract/schemas';
import { call } from '../../ipc/client';
import { errorText } from '../../app/errors';

interface Props {
  opened: boolean;
  model: ModelStatusView | null;
  onClose(): void;
  onChanged(model: ModelStatusView): void;
}

/** Points the app at another transformers.js-compatible model folder (<folder>/<org>/<name>). */
export function ModelSettingsModal({ opened, model, onClose, onChanged }: Props) {
  const { t } = useTranslation();
  return (
    <Modal opened={opened} onClose={onClose} title={t('model.settingsTitle')} size="lg">
      {opened && <Body model={model} onClose={onClose} onChanged={onChanged} />}
    </Modal>
  );
}

function Body({ model, onClose, onChanged }: Omit<Props, 'opened'>) {
  const { t } = useTranslation();
  const current = model ? model.dir.slice(0, model.dir.length - model.modelId.length - 1) : '';
  const [folder, setFolder] = useState<{ token: string; name: string } | null>(null);
  const [name, setName] = useState(model?.modelId ?? 'BAAI/bge-small-zh-v1.5');
  const [result, setResult] = useState<ModelStatusView | null>(null);
  const [error, setError] = useState<unknown>(null);
  const choose = () =>
    call('system.pickFolder', { purpose: 'model-folder' }).then((picked) => {
      if (picked.token && picked.name) setFolder({ token: picked.token, name: picked.name });
    }, setError);
  const save = () => {
    if (!folder) return;
    // A folder's token is spent by the attempt: choosing again is needed after a failure.
    setFolder(null);
    return call('models.configure', { folderToken: folder.token, modelName: name.trim() }).then((s) => {
      setResult(s);
      onChanged(s);
      if (s.state === 'ready') onClose();
    }, setError);
  };
  return (
    <Stack
      component="form"
      onSubmit={(e: React.FormEvent) => {
        e.preventDefault();
        void save();
      }}
    >
      <Text size="sm" c="dimmed">
        {t('model.settingsHelp')}
      </Text>
      <Group align="flex-end" gap="xs">
        <TextInput
          style={{ flex: 1 }}
          label={t('model.folder')}
          value={folder?.name ?? current}
          readOnly
          tabIndex={-1}
          data-testid="model-folder"
        />
        <Button variant="default" onClick={() => void choose()} data-autofocus>
          {t('model.chooseFolder')}
        </Button>
      </Group>
      <TextInput label={t('model.name')} value={name} onChange={(e) => setName(e.currentTarget.value)} required />
      {result && result.state !== 'ready' && <Alert color="orange">{result.message}</Alert>}
      {!!error && <Alert color="red">{errorText(t, error)}</Alert>}
      <Group justify="flex-end">
        <Button type="submit" disabled={!folder}>
          {t('common.save')}
        </Button>
      </Group>
    </Stack>
  );
}
