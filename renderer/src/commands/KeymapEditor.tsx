import { useEffect, useMemo, useState, type KeyboardEvent } from 'react';
import { Alert, Box, Button, Group, Modal, ScrollArea, Stack, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useTranslation } from 'react-i18next';
import { errorText } from '../app/errors';
import { catalog, commandTitle } from './catalog';
import { CommandFilter } from './CommandFilter';
import { findConflicts, formatKeys, portableKey } from './keys';
import { conflictsOfChange, withDefault, withKeys } from './keymapDraft';
import { KeymapTable, type KeymapRow } from './KeymapTable';
import { closeKeymapEditor, setRecording, useOverlays } from './overlays';
import { commandRows } from './sections';
import { saveAnnotatorKeymap } from './settings';
import { setKeymap, useCommandStore } from './store';
import { useAnnotatorKeymap } from './useAnnotatorKeymap';
import { useKeyRecorder } from './useKeyRecorder';

interface Props {
  annotatorId: string | null;
}

/** app.keymap: remap any command; loads the annotator's keymap on mount and saves it to their settings. */
export function KeymapEditor({ annotatorId }: Props) {
  const { t } = useTranslation();
  const opened = useOverlays((s) => s.keymapOpen);
  // Escape while recording cancels the recording; Mantine would close the modal first otherwise.
  const recording = useOverlays((s) => s.recordingId !== null);
  useAnnotatorKeymap(annotatorId);
  return (
    <Modal opened={opened} onClose={closeKeymapEditor} closeOnEscape={!recording} title={t('commands.ui.keymapTitle')} size="xl">
      <KeymapEditorBody annotatorId={annotatorId} />
    </Modal>
  );
}

function KeymapEditorBody({ annotatorId }: Props) {
  const { t } = useTranslation();
  const registrations = useCommandStore((s) => s.registrations);
  const platform = useCommandStore((s) => s.platform);
  const [draft, setDraft] = useState(() => useCommandStore.getState().keymap);
  const [query, setQuery] = useState('');
  const [selectedId, setSelectedId] = useState<string | null>(null);
  const recordingId = useOverlays((s) => s.recordingId);
  const [refusal, setRefusal] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const entries = useMemo(() => catalog(registrations), [registrations]);
  const defs = useMemo(() => entries.map((e) => e.def), [entries]);
  const titleOf = (id: string) => {
    const def = defs.find((d) => d.id === id);
    return def ? commandTitle(def, t) : id;
  };
  const conflicts = findConflicts(defs, draft, platform);
  const rows: KeymapRow[] = commandRows(entries, draft, platform, t, query).map((row) => {
    const clash = conflicts.find((c) => c.ids.includes(row.id));
    const conflict = clash
      ? t('commands.ui.conflictWith', { key: formatKeys(clash.key, platform), titles: clash.ids.map(titleOf).join('、') })
      : null;
    return { ...row, customized: Object.hasOwn(draft, row.id), conflict };
  });
  const selected = rows.find((r) => r.id === selectedId) ?? rows[0];
  const shownId = selected?.id;

  useEffect(() => {
    const row = [...document.querySelectorAll<HTMLElement>('[data-keymap-row]')].find((el) => el.dataset.keymapRow === shownId);
    row?.scrollIntoView({ block: 'nearest' });
  }, [shownId]);

  const startRecording = (id: string) => {
    setSelectedId(id);
    setRecording(id);
    setRefusal(null);
  };
  useKeyRecorder(
    recordingId !== null,
    (key) => {
      const def = defs.find((d) => d.id === recordingId);
      const stored = portableKey(key, platform);
      if (!def || !stored) return;
      const clash = conflictsOfChange(defs, draft, def, [stored], platform)[0];
      if (clash) {
        const others = clash.ids.filter((id) => id !== def.id).map(titleOf);
        setRefusal(t('commands.ui.refused', { key: formatKeys(stored, platform), other: others.join('、') }));
        return;
      }
      setDraft(withKeys(draft, def, [stored]));
      setRecording(null);
      setRefusal(null);
    },
    () => {
      setRecording(null);
      setRefusal(null);
    },
  );

  const onNavigate = (e: KeyboardEvent<HTMLElement>) => {
    if (e.target !== e.currentTarget || rows.length === 0) return;
    const at = Math.max(
      0,
      rows.findIndex((r) => r.id === selected?.id),
    );
    const move = (i: number) => setSelectedId(rows[Math.max(0, Math.min(rows.length - 1, i))]!.id);
    if (e.key === 'ArrowDown') move(at + 1);
    else if (e.key === 'ArrowUp') move(at - 1);
    else if (e.key === 'Enter' && selected) startRecording(selected.id);
    else return;
    e.preventDefault();
  };

  const save = async () => {
    setBusy(true);
    setError(null);
    try {
      const keymap = annotatorId ? (await saveAnnotatorKeymap(annotatorId, draft)).keymap : draft;
      setKeymap(keymap);
      closeKeymapEditor();
      if (annotatorId) notifications.show({ color: 'teal', message: t('commands.ui.saved') });
    } catch (failure) {
      setError(errorText(t, failure));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Stack gap="sm">
      <CommandFilter value={query} onChange={setQuery} onKeyDown={onNavigate} />
      <Text size="xs" c="dimmed">
        {t('commands.ui.keymapHint')}
      </Text>
      {!annotatorId && (
        <Alert color="yellow" variant="light">
          {t('commands.ui.noAnnotator')}
        </Alert>
      )}
      {refusal && (
        <Alert color="red" variant="light">
          {refusal}
        </Alert>
      )}
      {error && (
        <Alert color="red" variant="light">
          {error}
        </Alert>
      )}
      <ScrollArea.Autosize mah="55vh">
        <Box tabIndex={0} onKeyDown={onNavigate} aria-label={t('commands.ui.keymapTitle')} data-testid="keymap-table">
          <KeymapTable
            rows={rows}
            selectedId={selected?.id ?? null}
            recordingId={recordingId}
            platform={platform}
            onSelect={setSelectedId}
            onRecord={startRecording}
            onClear={(id) => {
              const def = defs.find((d) => d.id === id);
              if (def) setDraft(withKeys(draft, def, []));
            }}
            onReset={(id) => setDraft(withDefault(draft, id))}
          />
        </Box>
      </ScrollArea.Autosize>
      <Group justify="space-between">
        <Button variant="subtle" onClick={() => setDraft({})} disabled={Object.keys(draft).length === 0}>
          {t('commands.ui.resetAll')}
        </Button>
        <Group gap="sm">
          <Button variant="default" onClick={closeKeymapEditor}>
            {t('commands.ui.cancel')}
          </Button>
          <Button onClick={() => void save()} loading={busy}>
            {t('commands.ui.save')}
          </Button>
        </Group>
      </Group>
    </Stack>
  );
}
