import { useEffect, useState } from 'react';
import { Alert, Button, Group, Modal, Stack, Text, Textarea } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { DictionaryEntry } from '../../../../shared/contract/schemas';
import { call } from '../../ipc/client';
import { errorText } from '../../app/errors';

interface Props {
  opened: boolean;
  projectId: string;
  onClose(): void;
}

/** The project's dictionary for entity suggestions: one "term<Tab>entity type" per line. */
export function DictionaryModal({ opened, projectId, onClose }: Props) {
  const { t } = useTranslation();
  return (
    <Modal opened={opened} onClose={onClose} title={t('model.dictionaryTitle')} size="lg">
      {opened && <Body projectId={projectId} onClose={onClose} />}
    </Modal>
  );
}

const toText = (entries: DictionaryEntry[]) => entries.map((e) => `${e.term}\t${e.label}`).join('\n');

function parse(text: string): { entries: DictionaryEntry[]; bad: number[] } {
  const entries: DictionaryEntry[] = [];
  const bad: number[] = [];
  text.split('\n').forEach((line, i) => {
    if (!line.trim()) return;
    const [term, label] = line.split(/\t|,|，/).map((x) => x?.trim());
    if (term && label) entries.push({ term, label });
    else bad.push(i + 1);
  });
  return { entries, bad };
}

function Body({ projectId, onClose }: Omit<Props, 'opened'>) {
  const { t } = useTranslation();
  const [text, setText] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    call('dictionary.list', { projectId }).then((entries) => setText(toText(entries)), setError);
  }, [projectId]);
  const { entries, bad } = parse(text ?? '');
  const save = () => call('dictionary.replace', { projectId, entries }).then(onClose, setError);
  return (
    <Stack>
      <Text size="sm" c="dimmed">
        {t('model.dictionaryHelp')}
      </Text>
      <Textarea
        data-autofocus
        aria-label={t('model.dictionaryTitle')}
        autosize
        minRows={8}
        maxRows={18}
        value={text ?? ''}
        onChange={(e) => setText(e.currentTarget.value)}
        placeholder={'小米手环8\t商品\n羽绒服\t商品'}
        styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)' } }}
      />
      {bad.length > 0 && <Alert color="orange">{t('model.dictionaryBadLines', { lines: bad.slice(0, 10).join(', ') })}</Alert>}
      {!!error && <Alert color="red">{errorText(t, error)}</Alert>}
      <Group justify="space-between">
        <Text size="xs" c="dimmed">
          {t('model.dictionaryCount', { n: entries.length })}
        </Text>
        <Button onClick={() => void save()} disabled={text === null || bad.length > 0}>
          {t('common.save')}
        </Button>
      </Group>
    </Stack>
  );
}
