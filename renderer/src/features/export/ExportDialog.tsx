import { useEffect, useState } from 'react';
import {
  Alert,
  Button,
  Checkbox,
  Group,
  Modal,
  MultiSelect,
  NumberInput,
  SegmentedControl,
  Select,
  SimpleGrid,
  Stack,
  Switch,
  Text,
  Textarea,
  TextInput,
} from '@mantine/core';
import { IconPackageExport } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import {
  ExportDedup,
  ExportFormat,
  ExportLabelPolicy,
  ExportRedaction,
  type ExportOptionsInfo,
  type ExportRequest,
} from '../../../../shared/contract/export';
import { call } from '../../ipc/client';
import { errorText } from '../../app/errors';
import { ExportProgress } from './ExportProgress';
import { RedactionPreviewTable } from './RedactionPreviewTable';
import { useExport } from './useExport';

interface Props {
  opened: boolean;
  projectId: string;
  onClose(): void;
}

const CHAT_FORMATS: readonly ExportFormat[] = ['chat-openai', 'sharegpt', 'alpaca'];

/** Training export: what goes out, in which formats and splits, deduplicated and redacted, into a folder the lead picks. */
export function ExportDialog({ opened, projectId, onClose }: Props) {
  const { t } = useTranslation();
  const [running, setRunning] = useState(false);
  return (
    <Modal
      opened={opened}
      onClose={() => !running && onClose()}
      closeOnEscape={!running}
      size="xl"
      title={
        <Group gap="xs">
          <IconPackageExport size={20} />
          <Text fw={600}>{t('export.title')}</Text>
        </Group>
      }
    >
      {opened && <ExportFlow projectId={projectId} onClose={onClose} onRunningChange={setRunning} />}
    </Modal>
  );
}

type Draft = Omit<ExportRequest, 'folderToken' | 'projectId' | 'splits'> & { split: boolean; ratios: [number, number, number] };

const DEFAULT_DRAFT: Draft = {
  formats: ['hf-jsonl'],
  labels: 'consensus',
  minAnnotators: 1,
  split: true,
  ratios: [80, 10, 10],
  seed: 42,
  dedup: 'exact',
  redact: 'none',
  includeGold: false,
  metaFields: [],
};

/** Mounted each time the dialog opens, so every export starts from the defaults and the saved system prompt. */
function ExportFlow({ projectId, onClose, onRunningChange }: { projectId: string; onClose(): void; onRunningChange(running: boolean): void }) {
  const { t, i18n } = useTranslation();
  const job = useExport();
  const [info, setInfo] = useState<ExportOptionsInfo | null>(null);
  const [draft, setDraft] = useState<Draft>(DEFAULT_DRAFT);
  const [folder, setFolder] = useState<{ token: string; name: string } | null>(null);
  const [loadError, setLoadError] = useState<unknown>(null);
  const set = (patch: Partial<Draft>) => setDraft((d) => ({ ...d, ...patch }));
  const running = job.status?.state === 'running';
  useEffect(() => onRunningChange(running), [running, onRunningChange]);
  useEffect(() => {
    call('export.options', { projectId }).then((value) => {
      setInfo(value);
      setDraft((d) => ({ ...d, systemPrompt: value.systemPrompt }));
    }, setLoadError);
  }, [projectId]);

  const ratioSum = draft.ratios[0] + draft.ratios[1] + draft.ratios[2];
  const chat = draft.formats.some((f) => CHAT_FORMATS.includes(f));
  const ready = !!folder && draft.formats.length > 0 && (!draft.split || ratioSum === 100);
  const pickFolder = async () => {
    const picked = await call('system.pickFolder', { purpose: 'export-folder' });
    if (picked.token && picked.name) setFolder({ token: picked.token, name: picked.name });
  };
  const start = () => {
    if (!folder || !ready) return;
    const { split, ratios, groupBy, systemPrompt, ...rest } = draft;
    void job.start({
      ...rest,
      projectId,
      folderToken: folder.token,
      ...(split ? { splits: ratios } : {}),
      ...(split && groupBy ? { groupBy } : {}),
      ...(chat && systemPrompt !== undefined ? { systemPrompt } : {}),
    });
    // A folder token is good for one export.
    setFolder(null);
  };
  const n = (x: number) => x.toLocaleString(i18n.language);

  if (loadError) return <Alert color="red">{errorText(t, loadError)}</Alert>;
  if (job.status) {
    return <ExportProgress status={job.status} busy={job.busy} onCancel={() => void job.cancel()} onClose={onClose} />;
  }
  return (
    <Stack gap="md" data-testid="export-dialog">
      {info && (
        <Text size="sm" c="dimmed" data-testid="export-counts">
          {t('export.counts', { items: n(info.items), adjudicated: n(info.adjudicated), gold: n(info.gold) })}
        </Text>
      )}
      <Checkbox.Group label={t('export.formats')} value={draft.formats} onChange={(v) => set({ formats: v as ExportFormat[] })}>
        <SimpleGrid cols={4} mt={6} spacing="xs">
          {ExportFormat.options.map((f) => (
            <Checkbox key={f} value={f} label={t(`export.format_${f}`)} data-testid={`export-format-${f}`} />
          ))}
        </SimpleGrid>
      </Checkbox.Group>
      <Group align="flex-end" grow>
        <Stack gap={4}>
          <Text size="sm" fw={500}>
            {t('export.labels')}
          </Text>
          <SegmentedControl
            aria-label={t('export.labels')}
            value={draft.labels}
            onChange={(v) => set({ labels: v as Draft['labels'] })}
            data={ExportLabelPolicy.options.map((p) => ({ value: p, label: t(`export.policy_${p}`) }))}
          />
        </Stack>
        <NumberInput
          label={t('export.minAnnotators')}
          min={1}
          max={1000}
          value={draft.minAnnotators}
          disabled={draft.labels !== 'consensus'}
          onChange={(v) => set({ minAnnotators: typeof v === 'number' ? v : 1 })}
        />
        <Checkbox label={t('export.includeGold')} checked={draft.includeGold} onChange={(e) => set({ includeGold: e.currentTarget.checked })} mb={8} />
      </Group>
      <Text size="xs" c="dimmed">
        {t(`export.policyHelp_${draft.labels}`)}
      </Text>

      <Switch label={t('export.split')} checked={draft.split} onChange={(e) => set({ split: e.currentTarget.checked })} data-testid="export-split" />
      {draft.split && (
        <SimpleGrid cols={5} spacing="xs">
          {(['train', 'validation', 'test'] as const).map((name, i) => (
            <NumberInput
              key={name}
              label={`${name} %`}
              min={0}
              max={100}
              value={draft.ratios[i]}
              error={ratioSum !== 100 && i === 0 ? t('export.ratioSum', { sum: ratioSum }) : undefined}
              onChange={(v) => {
                const ratios = [...draft.ratios] as [number, number, number];
                ratios[i] = typeof v === 'number' ? v : 0;
                set({ ratios });
              }}
            />
          ))}
          <Select
            label={t('export.groupBy')}
            placeholder={t('export.noGrouping')}
            data={info?.metaFields ?? []}
            value={draft.groupBy ?? null}
            clearable
            onChange={(v) => set({ groupBy: v ?? undefined })}
          />
          <NumberInput label={t('export.seed')} min={0} value={draft.seed} onChange={(v) => set({ seed: typeof v === 'number' ? v : 0 })} />
        </SimpleGrid>
      )}

      <Group grow align="flex-start">
        <Stack gap={4}>
          <Text size="sm" fw={500}>
            {t('export.dedup')}
          </Text>
          <SegmentedControl
            aria-label={t('export.dedup')}
            value={draft.dedup}
            onChange={(v) => set({ dedup: v as Draft['dedup'] })}
            data={ExportDedup.options.map((d) => ({ value: d, label: t(`export.dedup_${d}`) }))}
          />
        </Stack>
        <Select
          label={t('export.redact')}
          data={ExportRedaction.options.map((m) => ({ value: m, label: t(`redaction.mode_${m}`) }))}
          value={draft.redact}
          allowDeselect={false}
          onChange={(v) => v && set({ redact: v as Draft['redact'] })}
          data-testid="export-redact"
        />
        <MultiSelect
          label={t('export.metaFields')}
          data={info?.metaFields ?? []}
          value={draft.metaFields}
          onChange={(v) => set({ metaFields: v })}
          placeholder={draft.metaFields.length ? undefined : t('common.none')}
        />
      </Group>
      {draft.redact !== 'none' && <RedactionPreviewTable projectId={projectId} mode={draft.redact} />}
      {chat && (
        <Textarea
          label={t('export.systemPrompt')}
          description={t('export.systemPromptHelp')}
          autosize
          minRows={2}
          maxRows={5}
          value={draft.systemPrompt ?? ''}
          onChange={(e) => set({ systemPrompt: e.currentTarget.value })}
        />
      )}

      <Group align="flex-end" gap="xs">
        <TextInput
          style={{ flex: 1 }}
          label={t('export.folder')}
          placeholder={t('export.folderPlaceholder')}
          value={folder?.name ?? ''}
          readOnly
          tabIndex={-1}
          data-testid="export-folder"
        />
        <Button variant="default" onClick={() => void pickFolder()} data-autofocus>
          {t('export.chooseFolder')}
        </Button>
      </Group>
      {!!job.error && (
        <Alert color="red" role="alert">
          {errorText(t, job.error)}
        </Alert>
      )}
      <Group justify="flex-end">
        <Button variant="default" onClick={onClose}>
          {t('common.cancel')}
        </Button>
        <Button onClick={start} disabled={!ready} loading={job.busy} data-testid="export-start">
          {t('export.start')}
        </Button>
      </Group>
    </Stack>
  );
}
