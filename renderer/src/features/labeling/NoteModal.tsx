import { useState } from 'react';
import { Button, Group, Modal, Stack, Textarea } from '@mantine/core';
import { useTranslation } from 'react-i18next';

interface Props {
  opened: boolean;
  flagged: boolean;
  note: string;
  onSave(flag: { flagged: boolean; note: string }): void;
  onClose(): void;
}

/** Flag an item for a reviewer, with a note saying why. Ctrl+Enter saves. */
export function NoteModal({ opened, flagged, note, onSave, onClose }: Props) {
  const { t } = useTranslation();
  return (
    <Modal opened={opened} onClose={onClose} title={t('labeling.flagTitle')}>
      {opened && <NoteBody flagged={flagged} note={note} onSave={onSave} onClose={onClose} />}
    </Modal>
  );
}

function NoteBody({ flagged, note, onSave, onClose }: Omit<Props, 'opened'>) {
  const { t } = useTranslation();
  const [text, setText] = useState(note);
  const save = () => {
    onSave({ flagged: true, note: text.trim() });
    onClose();
  };
  return (
    <Stack>
      <Textarea
        data-autofocus
        label={t('labeling.note')}
        placeholder={t('labeling.notePlaceholder')}
        autosize
        minRows={3}
        value={text}
        onChange={(e) => setText(e.currentTarget.value)}
        onKeyDown={(e) => {
          if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
            e.preventDefault();
            save();
          }
        }}
      />
      <Group justify="flex-end">
        {flagged && (
          <Button
            variant="default"
            onClick={() => {
              onSave({ flagged: false, note: '' });
              onClose();
            }}
          >
            {t('labeling.unflag')}
          </Button>
        )}
        <Button color="orange" onClick={save}>
          {t('labeling.flagSave')}
        </Button>
      </Group>
    </Stack>
  );
}
