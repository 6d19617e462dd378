import { useEffect, useId, useMemo, useState } from 'react';
import {
  Alert,
  Badge,
  Button,
  Group,
  Kbd,
  Loader,
  Modal,
  NativeSelect,
  Paper,
  ScrollArea,
  SimpleGrid,
  Stack,
  Text,
  Textarea,
  Title,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconDeviceFloppy, IconListCheck, IconTemplate } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import type { Guideline } from '../../../../shared/contract/adjudication';
import { guidelineSection, guidelineTemplate } from '../../../../shared/domain/guideline';
import type { LabelSchema } from '../../../../shared/domain/labelSchema';
import { errorText } from '../../app/errors';
import { useCommands, useKeyLabel } from '../../commands/hooks';
import type { Command } from '../../commands/types';
import { call } from '../../ipc/client';
import { useProjects } from '../projects/store';
import { Markdown } from './Markdown';
import { useGuidelineDrafts } from './store';
import { useProfile } from './useProfile';

const PANE_HEIGHT = 'calc(100dvh - 300px)';

/** The guideline built from a schema: a section per intent and entity type. */
export function templateFor(schema: LabelSchema): string {
  return guidelineTemplate(
    schema.intents.labels.map((l) => l.name),
    schema.entities.types.map((e) => e.name),
  );
}

/** The schema's intents and entity types that no heading of the guideline names. */
export function labelsWithoutSection(markdown: string, schema: LabelSchema): string[] {
  const names = [...schema.intents.labels.map((l) => l.name), ...schema.entities.types.map((e) => e.name)];
  return names.filter((name) => guidelineSection(markdown, name) === null);
}

const pageCommand = (id: string, keys: string[], run: () => void, when: () => boolean, allowInInputs = false): Command => ({
  id,
  titleKey: `guideline.commands.${id.slice('guideline.'.length)}`,
  keys,
  scope: 'global',
  group: 'general',
  run,
  when,
  ...(allowInInputs ? { allowInInputs } : {}),
});

/**
 * A project's labeling guideline: Markdown with a live preview, saved as a new version each time;
 * older versions to read; a template with a section per label to start from; and, for leads,
 * queueing the items labeled under an older version for a re-check.
 */
export function GuidelinePage({ projectId }: { projectId: string }) {
  const { t, i18n } = useTranslation();
  const project = useProjects((s) => (s.current?.id === projectId ? s.current : null));
  const { profile, canEdit, isLead } = useProfile();
  const [latest, setLatest] = useState<Guideline | null>(null);
  /** An older version being read (null: the newest, editable). */
  const [older, setOlder] = useState<Guideline | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState<'save' | 'recheck' | 'version' | null>(null);
  const [recheck, setRecheck] = useState<{ queued: number; version: number } | null>(null);
  const [confirmTemplate, setConfirmTemplate] = useState(false);
  const draft = useGuidelineDrafts((s) => s.drafts[projectId]);
  const { setDraft, dropDraft } = useGuidelineDrafts.getState();
  const editorId = useId();
  const historyId = useId();
  const focusEditor = () => document.getElementById(editorId)?.focus();
  /** After the template: the editor at its top, the caret before the first section. */
  const focusEditorTop = () => {
    const el = document.getElementById(editorId);
    if (!(el instanceof HTMLTextAreaElement)) return;
    el.focus();
    el.setSelectionRange(0, 0);
    el.scrollTop = 0;
  };

  useEffect(() => {
    if (useProjects.getState().current?.id !== projectId) void useProjects.getState().open(projectId).catch(setError);
    let live = true;
    call('guidelines.get', { projectId }).then(
      (g) => live && setLatest(g),
      (e: unknown) => live && setError(e),
    );
    return () => {
      live = false;
    };
  }, [projectId]);

  const text = draft ?? latest?.markdown ?? '';
  const dirty = !!latest && draft !== undefined && draft !== latest.markdown;
  const editing = canEdit && !older;
  const missing = useMemo(() => (project && text.trim() ? labelsWithoutSection(text, project.schema) : []), [project, text]);
  const date = (iso: string | null) => (iso ? new Date(iso).toLocaleString(i18n.language) : '');

  const applyTemplate = () => {
    if (!project) return;
    setDraft(projectId, templateFor(project.schema));
    setConfirmTemplate(false);
    requestAnimationFrame(focusEditorTop);
  };

  const startFromTemplate = () => {
    if (text.trim() === '') applyTemplate();
    else setConfirmTemplate(true);
  };

  const save = async () => {
    if (!profile || !latest || busy) return;
    setBusy('save');
    try {
      const saved = await call('guidelines.save', { projectId, authorId: profile.id, markdown: text });
      const changed = saved.version !== latest.version;
      setLatest(saved);
      dropDraft(projectId);
      setError(null);
      notifications.show({
        color: changed ? 'teal' : 'gray',
        message: changed ? t('guideline.saved', { version: saved.version }) : t('guideline.unchanged', { version: saved.version }),
      });
    } catch (e) {
      setError(e);
    } finally {
      setBusy(null);
    }
  };

  const queueRecheck = async () => {
    if (!profile || !latest || busy) return;
    setBusy('recheck');
    try {
      const { queued } = await call('guidelines.queueRecheck', { projectId, leadId: profile.id });
      setRecheck({ queued, version: latest.version });
      setError(null);
      notifications.show({ color: 'teal', message: t('guideline.recheckQueued', { n: queued, version: latest.version }) });
    } catch (e) {
      setError(e);
    } finally {
      setBusy(null);
    }
  };

  const showVersion = async (version: number) => {
    if (!latest) return;
    if (version === latest.version) return setOlder(null);
    setBusy('version');
    try {
      setOlder(await call('guidelines.get', { projectId, version }));
    } catch (e) {
      setError(e);
    } finally {
      setBusy(null);
    }
  };

  const keys = {
    edit: useKeyLabel('guideline.edit'),
    save: useKeyLabel('guideline.save'),
    template: useKeyLabel('guideline.template'),
    history: useKeyLabel('guideline.history'),
    recheck: useKeyLabel('guideline.recheck'),
  };
  const hasVersions = (latest?.version ?? 0) > 0;
  useCommands([
    pageCommand('guideline.edit', ['e'], focusEditor, () => editing),
    pageCommand(
      'guideline.save',
      ['mod+S'],
      () => void save(),
      () => editing && !busy,
      true,
    ),
    pageCommand('guideline.template', ['t'], startFromTemplate, () => editing && !!project),
    pageCommand(
      'guideline.history',
      ['h'],
      () => document.getElementById(historyId)?.focus(),
      () => hasVersions,
    ),
    pageCommand(
      'guideline.recheck',
      ['q'],
      () => void queueRecheck(),
      () => isLead && hasVersions && !busy,
    ),
  ]);

  if (!latest) return error ? <Alert color="red">{errorText(t, error)}</Alert> : <Loader />;
  const shown = older ?? latest;
  const versions = Array.from({ length: latest.version }, (_, i) => latest.version - i);

  return (
    <Stack gap="sm" h="100%" style={{ minHeight: 0 }} data-testid="guideline-page">
      <Group justify="space-between" align="flex-start" wrap="nowrap">
        <div style={{ minWidth: 0 }}>
          <Title order={2}>{t('guideline.title')}</Title>
          <Group gap="xs" mt={4}>
            {project && (
              <Text size="sm" c="dimmed">
                {project.name}
              </Text>
            )}
            {hasVersions ? (
              <Badge variant="light" data-testid="guideline-version">
                {t('guideline.versionShort', { version: latest.version })}
              </Badge>
            ) : (
              <Badge variant="outline" color="gray" data-testid="guideline-version">
                {t('guideline.noVersion')}
              </Badge>
            )}
            {hasVersions && (
              <Text size="xs" c="dimmed">
                {t('guideline.savedBy', { name: latest.authorName ?? '—', time: date(latest.createdAt) })}
              </Text>
            )}
            {dirty && (
              <Badge color="orange" variant="light" data-testid="guideline-dirty">
                {t('guideline.unsaved')}
              </Badge>
            )}
          </Group>
        </div>
        <Group gap="xs" wrap="nowrap" align="flex-end">
          {hasVersions && (
            <NativeSelect
              id={historyId}
              size="xs"
              label={
                <>
                  {t('guideline.history')} {keys.history && <Kbd size="xs">{keys.history}</Kbd>}
                </>
              }
              value={String(shown.version)}
              onChange={(e) => void showVersion(Number(e.currentTarget.value))}
              data={versions.map((v) => ({
                value: String(v),
                label: v === latest.version ? t('guideline.versionLatest', { version: v }) : t('guideline.versionShort', { version: v }),
              }))}
              data-testid="guideline-history"
            />
          )}
          {editing && (
            <Button
              variant="default"
              leftSection={<IconTemplate size={16} />}
              rightSection={keys.template ? <Kbd size="xs">{keys.template}</Kbd> : null}
              onClick={startFromTemplate}
              disabled={!project}
              data-testid="guideline-template"
            >
              {t('guideline.fromTemplate')}
            </Button>
          )}
          {isLead && hasVersions && (
            <Button
              variant="default"
              leftSection={<IconListCheck size={16} />}
              rightSection={keys.recheck ? <Kbd size="xs">{keys.recheck}</Kbd> : null}
              onClick={() => void queueRecheck()}
              loading={busy === 'recheck'}
              data-testid="guideline-recheck"
            >
              {t('guideline.queueRecheck')}
            </Button>
          )}
          {editing && (
            <Button
              leftSection={<IconDeviceFloppy size={16} />}
              rightSection={keys.save ? <Kbd size="xs">{keys.save}</Kbd> : null}
              onClick={() => void save()}
              loading={busy === 'save'}
              disabled={!text.trim() || (!dirty && hasVersions)}
              data-testid="guideline-save"
            >
              {t('guideline.save')}
            </Button>
          )}
        </Group>
      </Group>

      {!!error && (
        <Alert color="red" withCloseButton onClose={() => setError(null)}>
          {errorText(t, error)}
        </Alert>
      )}
      {recheck && (
        <Alert color="teal" withCloseButton onClose={() => setRecheck(null)} data-testid="guideline-recheck-result">
          {t('guideline.recheckQueued', { n: recheck.queued, version: recheck.version })}
        </Alert>
      )}
      {!canEdit && (
        <Text size="sm" c="dimmed" data-testid="guideline-readonly">
          {t('guideline.readOnly')}
        </Text>
      )}
      {older && (
        <Alert color="gray" data-testid="guideline-older">
          <Group justify="space-between">
            <Text size="sm">
              {t('guideline.olderVersion', { version: older.version, name: older.authorName ?? '—', time: date(older.createdAt) })}
            </Text>
            <Group gap="xs">
              {canEdit && (
                <Button
                  size="compact-sm"
                  variant="default"
                  onClick={() => {
                    setDraft(projectId, older.markdown);
                    setOlder(null);
                  }}
                >
                  {t('guideline.useAsDraft')}
                </Button>
              )}
              <Button size="compact-sm" variant="default" onClick={() => setOlder(null)}>
                {t('guideline.backToLatest')}
              </Button>
            </Group>
          </Group>
        </Alert>
      )}

      {editing ? (
        <SimpleGrid cols={2} spacing="md" style={{ flex: 1, minHeight: 0 }}>
          <Stack gap={4} style={{ minWidth: 0 }}>
            <Textarea
              id={editorId}
              label={
                <>
                  {t('guideline.editor')} {keys.edit && <Kbd size="xs">{keys.edit}</Kbd>}
                </>
              }
              description={t('guideline.editorHelp')}
              value={text}
              onChange={(e) => setDraft(projectId, e.currentTarget.value)}
              onKeyDown={(e) => {
                // Esc leaves the editor (the next Esc goes back); the draft is kept either way.
                if (e.key === 'Escape' && !e.nativeEvent.isComposing) e.currentTarget.blur();
              }}
              placeholder={t('guideline.placeholder', { key: keys.template })}
              spellCheck={false}
              styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)', fontSize: 13, height: PANE_HEIGHT } }}
              data-testid="guideline-editor"
            />
            {missing.length > 0 && (
              <Text size="xs" c="orange" data-testid="guideline-missing">
                {t('guideline.missingSections', { labels: missing.join('、') })}
              </Text>
            )}
          </Stack>
          <Stack gap={4} style={{ minWidth: 0 }}>
            <Text size="sm" fw={500}>
              {t('guideline.preview')}
            </Text>
            <Paper withBorder radius="sm" p="sm">
              <ScrollArea h={PANE_HEIGHT} type="auto" offsetScrollbars>
                {text.trim() ? <Markdown source={text} testId="guideline-preview" /> : <Text c="dimmed">{t('guideline.emptyPreview')}</Text>}
              </ScrollArea>
            </Paper>
          </Stack>
        </SimpleGrid>
      ) : (
        <Paper withBorder radius="sm" p="md" style={{ flex: 1, minHeight: 0 }}>
          <ScrollArea h="100%" type="auto" offsetScrollbars>
            {shown.markdown.trim() ? (
              <Markdown source={shown.markdown} testId="guideline-preview" />
            ) : (
              <Text c="dimmed" data-testid="guideline-empty">
                {t('guideline.none')}
              </Text>
            )}
          </ScrollArea>
        </Paper>
      )}

      <Modal
        opened={confirmTemplate}
        onClose={() => setConfirmTemplate(false)}
        title={t('guideline.templateTitle')}
        data-testid="guideline-template-confirm"
      >
        <Stack gap="md">
          <Text size="sm">{t('guideline.templateReplace')}</Text>
          <Group justify="flex-end" gap="xs">
            <Button variant="default" onClick={() => setConfirmTemplate(false)}>
              {t('common.cancel')}
            </Button>
            <Button onClick={applyTemplate} data-autofocus>
              {t('guideline.templateConfirm')}
            </Button>
          </Group>
        </Stack>
      </Modal>
    </Stack>
  );
}
