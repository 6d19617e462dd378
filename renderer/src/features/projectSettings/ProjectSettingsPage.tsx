import { useEffect, useState } from 'react';
import { ActionIcon, Alert, Badge, Button, Group, Kbd, Loader, Paper, Stack, Switch, Table, Text, TextInput, Title, Tooltip } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconDeviceFloppy, IconPlus, IconTrash } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { ReasonCode, type AdjudicationSettings } from '../../../../shared/contract/adjudication';
import { errorText } from '../../app/errors';
import { useCommands, useKeyLabel } from '../../commands/hooks';
import type { Command } from '../../commands/types';
import { call } from '../../ipc/client';
import { useProjects } from '../projects/store';
import { useProfile } from '../guideline/useProfile';

/** A reason code being edited; `saved` ones keep their code (past decisions refer to it). */
interface Row extends ReasonCode {
  key: number;
  saved: boolean;
}

export type RowProblem = 'code' | 'duplicate' | 'label' | null;

/** What is wrong with a row, if anything: a code of lower-case letters, digits and -, unique; a label. */
export function rowProblem(row: Pick<ReasonCode, 'code' | 'label'>, all: readonly Pick<ReasonCode, 'code'>[]): RowProblem {
  if (!ReasonCode.shape.code.safeParse(row.code).success) return 'code';
  if (all.filter((r) => r.code.trim() === row.code.trim()).length > 1) return 'duplicate';
  if (!row.label.trim()) return 'label';
  return null;
}

let nextKey = 1;
const toRows = (codes: readonly ReasonCode[]): Row[] => codes.map((r) => ({ ...r, key: nextKey++, saved: true }));

const pageCommand = (id: string, keys: string[], run: () => void, when: () => boolean, allowInInputs = false): Command => ({
  id,
  titleKey: `guideline.settings.commands.${id.slice('projectSettings.'.length)}`,
  keys,
  scope: 'global',
  group: 'general',
  run,
  when,
  ...(allowInInputs ? { allowInInputs } : {}),
});

/** The project's adjudication settings: blind review, and the reason codes a reviewer gives (each may point into the guideline). */
export function ProjectSettingsPage({ projectId }: { projectId: string }) {
  const { t } = useTranslation();
  const project = useProjects((s) => (s.current?.id === projectId ? s.current : null));
  const { profile, canEdit } = useProfile();
  const [stored, setStored] = useState<AdjudicationSettings | null>(null);
  const [blind, setBlind] = useState(true);
  const [rows, setRows] = useState<Row[]>([]);
  const [error, setError] = useState<unknown>(null);
  const [saving, setSaving] = useState(false);
  /** The row just added, whose code field takes focus once it is rendered. */
  const [focusKey, setFocusKey] = useState<number | null>(null);

  useEffect(() => {
    if (useProjects.getState().current?.id !== projectId) void useProjects.getState().open(projectId).catch(setError);
    let live = true;
    call('adjudication.settings', { projectId }).then(
      (s) => {
        if (!live) return;
        setStored(s);
        setBlind(s.blind);
        setRows(toRows(s.reasonCodes));
      },
      (e: unknown) => live && setError(e),
    );
    return () => {
      live = false;
    };
  }, [projectId]);

  useEffect(() => {
    if (focusKey !== null) document.querySelector<HTMLInputElement>(`[data-reason-key="${focusKey}"] input`)?.focus();
  }, [focusKey]);

  const settings: AdjudicationSettings = {
    blind,
    reasonCodes: rows.map(({ code, label, guidelineRef }) => ({ code: code.trim(), label: label.trim(), guidelineRef: guidelineRef.trim() })),
  };
  const problems = rows.map((r) => rowProblem(r, rows));
  const valid = rows.length > 0 && problems.every((p) => p === null);
  const dirty = !!stored && JSON.stringify(settings) !== JSON.stringify(stored);

  const update = (key: number, change: Partial<ReasonCode>) => setRows((rs) => rs.map((r) => (r.key === key ? { ...r, ...change } : r)));
  const add = () => {
    const key = nextKey++;
    setFocusKey(key);
    setRows((rs) => [...rs, { code: '', label: '', guidelineRef: '', key, saved: false }]);
  };
  const save = async () => {
    if (!profile || !valid || saving) return;
    setSaving(true);
    try {
      const saved = await call('adjudication.saveSettings', { projectId, actorId: profile.id, settings });
      setStored(saved);
      setBlind(saved.blind);
      setRows(toRows(saved.reasonCodes));
      setError(null);
      notifications.show({ color: 'teal', message: t('guideline.settings.saved') });
    } catch (e) {
      setError(e);
    } finally {
      setSaving(false);
    }
  };

  useCommands([
    pageCommand(
      'projectSettings.save',
      ['mod+S'],
      () => void save(),
      () => canEdit && valid && !saving,
      true,
    ),
    pageCommand('projectSettings.addReason', ['n'], add, () => canEdit && rows.length < 50),
  ]);
  const saveKey = useKeyLabel('projectSettings.save');
  const addKey = useKeyLabel('projectSettings.addReason');

  if (!stored) return error ? <Alert color="red">{errorText(t, error)}</Alert> : <Loader />;
  const problemText = (p: RowProblem) => (p ? t(`guideline.settings.problem_${p}`) : null);

  return (
    <Stack gap="md" maw={980} data-testid="project-settings">
      <Group justify="space-between" align="flex-start">
        <div>
          <Title order={2}>{t('guideline.settings.title')}</Title>
          <Group gap="xs" mt={4}>
            {project && (
              <Text size="sm" c="dimmed">
                {project.name}
              </Text>
            )}
            {dirty && (
              <Badge color="orange" variant="light">
                {t('guideline.unsaved')}
              </Badge>
            )}
          </Group>
        </div>
        {canEdit && (
          <Button
            leftSection={<IconDeviceFloppy size={16} />}
            rightSection={saveKey ? <Kbd size="xs">{saveKey}</Kbd> : null}
            onClick={() => void save()}
            disabled={!valid || !dirty}
            loading={saving}
            data-testid="settings-save"
          >
            {t('common.save')}
          </Button>
        )}
      </Group>
      {!!error && (
        <Alert color="red" withCloseButton onClose={() => setError(null)}>
          {errorText(t, error)}
        </Alert>
      )}
      {!canEdit && (
        <Text size="sm" c="dimmed" data-testid="settings-readonly">
          {t('guideline.settings.readOnly')}
        </Text>
      )}

      <Paper withBorder p="md" radius="md">
        <Switch
          checked={blind}
          onChange={(e) => setBlind(e.currentTarget.checked)}
          disabled={!canEdit}
          label={t('guideline.settings.blind')}
          description={t('guideline.settings.blindHelp')}
          data-testid="settings-blind"
        />
      </Paper>

      <Paper withBorder p="md" radius="md">
        <Group justify="space-between" mb="xs">
          <div>
            <Text fw={600}>{t('guideline.settings.reasonCodes')}</Text>
            <Text size="xs" c="dimmed">
              {t('guideline.settings.reasonCodesHelp')}
            </Text>
          </div>
          {canEdit && (
            <Button
              variant="default"
              size="xs"
              leftSection={<IconPlus size={14} />}
              rightSection={addKey ? <Kbd size="xs">{addKey}</Kbd> : null}
              onClick={add}
              disabled={rows.length >= 50}
              data-testid="settings-add-reason"
            >
              {t('guideline.settings.addReason')}
            </Button>
          )}
        </Group>
        <Table verticalSpacing={6} data-testid="settings-reasons" aria-label={t('guideline.settings.reasonCodes')}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th w={200}>{t('guideline.settings.code')}</Table.Th>
              <Table.Th>{t('guideline.settings.label')}</Table.Th>
              <Table.Th w={160}>{t('guideline.settings.guidelineRef')}</Table.Th>
              <Table.Th w={50} />
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {rows.map((r, i) => {
              const problem = problems[i]!;
              const n = i + 1;
              return (
                <Table.Tr key={r.key} data-reason-key={r.key} data-reason-code={r.code}>
                  <Table.Td>
                    <Tooltip label={t('guideline.settings.codeKept')} disabled={!r.saved}>
                      <TextInput
                        size="xs"
                        value={r.code}
                        readOnly={r.saved || !canEdit}
                        variant={r.saved ? 'filled' : 'default'}
                        ff="monospace"
                        aria-label={t('guideline.settings.codeOf', { n })}
                        placeholder={t('guideline.settings.codePlaceholder')}
                        onChange={(e) => update(r.key, { code: e.currentTarget.value })}
                        error={problem === 'code' || problem === 'duplicate' ? problemText(problem) : undefined}
                      />
                    </Tooltip>
                  </Table.Td>
                  <Table.Td>
                    <TextInput
                      size="xs"
                      value={r.label}
                      readOnly={!canEdit}
                      aria-label={t('guideline.settings.labelOf', { n })}
                      onChange={(e) => update(r.key, { label: e.currentTarget.value })}
                      error={problem === 'label' ? problemText(problem) : undefined}
                      maxLength={100}
                    />
                  </Table.Td>
                  <Table.Td>
                    <TextInput
                      size="xs"
                      value={r.guidelineRef}
                      readOnly={!canEdit}
                      aria-label={t('guideline.settings.refOf', { n })}
                      placeholder={t('guideline.settings.refPlaceholder')}
                      onChange={(e) => update(r.key, { guidelineRef: e.currentTarget.value })}
                      maxLength={40}
                    />
                  </Table.Td>
                  <Table.Td>
                    {canEdit && (
                      <ActionIcon
                        variant="subtle"
                        color="red"
                        aria-label={t('guideline.settings.removeOf', { n, code: r.code || '—' })}
                        onClick={() => setRows((rs) => rs.filter((x) => x.key !== r.key))}
                        disabled={rows.length <= 1}
                      >
                        <IconTrash size={16} />
                      </ActionIcon>
                    )}
                  </Table.Td>
                </Table.Tr>
              );
            })}
          </Table.Tbody>
        </Table>
      </Paper>
    </Stack>
  );
}
