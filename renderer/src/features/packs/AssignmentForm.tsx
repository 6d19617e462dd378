import { useEffect, useState } from 'react';
import { Alert, Button, Checkbox, Group, MultiSelect, NumberInput, Paper, SegmentedControl, Select, SimpleGrid, Stack, Table, TagsInput, Text, Title } from '@mantine/core';
import { IconPackages } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import type { AssignmentPlanInput, AssignmentPreview, AssignmentResult } from '../../../../shared/contract/packs';
import { errorText } from '../../app/errors';
import { call } from '../../ipc/client';

type Draft = Omit<AssignmentPlanInput, 'projectId' | 'goldShare' | 'redact'> & { goldPercent: number; redact: AssignmentPlanInput['redact'] };

const PREVIEW_DELAY_MS = 250;

/** The lead's plan: who, how much overlap, how much hidden gold; a preview of each pack before anything is written. */
export function AssignmentForm({ projectId, onWritten }: { projectId: string; onWritten(result: AssignmentResult): void }) {
  const { t, i18n } = useTranslation();
  const [known, setKnown] = useState<string[]>([]);
  const [metaFields, setMetaFields] = useState<string[]>([]);
  const [draft, setDraft] = useState<Draft>({ annotators: [], overlap: 2, goldPercent: 10, filter: 'unlabeled', seed: 1, expiresDays: 14, metaFields: [], redact: 'none', suggestions: false });
  const [preview, setPreview] = useState<{ key: string; value: AssignmentPreview | null; error: unknown } | null>(null);
  const [busy, setBusy] = useState(false);
  /** Bumped after packs are written: the same plan now finds other items. */
  const [round, setRound] = useState(0);
  const [error, setError] = useState<unknown>(null);
  const set = (patch: Partial<Draft>) => setDraft((d) => ({ ...d, ...patch }));
  const n = (x: number) => x.toLocaleString(i18n.language);

  useEffect(() => {
    call('annotators.list', { origin: 'all' }).then((all) => setKnown(all.map((a) => a.name).filter((name) => name !== 'gold')), setError);
    call('export.options', { projectId }).then((o) => setMetaFields(o.metaFields), setError);
  }, [projectId]);

  const { goldPercent, ...rest } = draft;
  const input: AssignmentPlanInput = { ...rest, projectId, goldShare: goldPercent / 100 };
  const key = JSON.stringify({ input, round });
  const planned = draft.annotators.length > 0 && draft.overlap <= draft.annotators.length;
  useEffect(() => {
    if (!planned) return;
    const timer = setTimeout(() => {
      call('packs.preview', (JSON.parse(key) as { input: AssignmentPlanInput }).input).then(
        (value) => setPreview({ key, value, error: null }),
        (e: unknown) => setPreview({ key, value: null, error: e }),
      );
    }, PREVIEW_DELAY_MS);
    return () => clearTimeout(timer);
  }, [key, planned]);

  const write = async () => {
    const picked = await call('system.pickFolder', { purpose: 'pack-folder' });
    if (!picked.token) return;
    setBusy(true);
    setError(null);
    try {
      onWritten(await call('packs.assign', { ...input, folderToken: picked.token }));
      setRound((r) => r + 1);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  const shown = planned && preview?.key === key ? preview : null;

  return (
    <Paper withBorder p="md" radius="md">
      <Stack gap="sm" data-testid="assignment-form">
        <Title order={4}>{t('packs.planTitle')}</Title>
        <TagsInput
          label={t('packs.annotators')}
          description={t('packs.annotatorsHelp')}
          data={known}
          value={draft.annotators}
          onChange={(annotators) => set({ annotators })}
          data-autofocus
          data-testid="assignment-annotators"
        />
        <SimpleGrid cols={4}>
          <NumberInput label={t('packs.overlap')} min={1} max={Math.max(1, draft.annotators.length)} value={draft.overlap} onChange={(v) => set({ overlap: typeof v === 'number' ? v : 1 })} />
          <NumberInput label={t('packs.goldShare')} min={0} max={50} suffix=" %" value={draft.goldPercent} onChange={(v) => set({ goldPercent: typeof v === 'number' ? v : 0 })} />
          <NumberInput label={t('packs.expiresDays')} min={1} max={365} value={draft.expiresDays} onChange={(v) => set({ expiresDays: typeof v === 'number' ? v : 14 })} />
          <NumberInput label={t('packs.seed')} min={0} value={draft.seed} onChange={(v) => set({ seed: typeof v === 'number' ? v : 0 })} />
        </SimpleGrid>
        <Group grow align="flex-end">
          <Stack gap={4}>
            <Text size="sm" fw={500}>
              {t('packs.items')}
            </Text>
            <SegmentedControl
              aria-label={t('packs.items')}
              value={draft.filter}
              onChange={(v) => set({ filter: v as Draft['filter'] })}
              data={[
                { value: 'unlabeled', label: t('packs.filter_unlabeled') },
                { value: 'all', label: t('packs.filter_all') },
              ]}
            />
          </Stack>
          <NumberInput label={t('packs.limit')} placeholder={t('packs.noLimit')} min={1} value={draft.limit ?? ''} onChange={(v) => set({ limit: typeof v === 'number' && v > 0 ? v : undefined })} />
          <MultiSelect label={t('packs.metaFields')} data={metaFields} value={draft.metaFields} onChange={(v) => set({ metaFields: v })} />
          <Select
            label={t('export.redact')}
            data={(['none', 'placeholder', 'mask', 'pseudonym'] as const).map((m) => ({ value: m, label: t(`redaction.mode_${m}`) }))}
            value={draft.redact}
            allowDeselect={false}
            onChange={(v) => v && set({ redact: v as Draft['redact'] })}
          />
        </Group>
        <Checkbox
          label={t('packs.suggestions')}
          description={t('packs.suggestionsHelp')}
          checked={draft.suggestions}
          onChange={(e) => set({ suggestions: e.currentTarget.checked })}
        />
        {shown?.error ? <Alert color="red">{errorText(t, shown.error)}</Alert> : null}
        {shown?.value && (
          <Table withTableBorder verticalSpacing={4} data-testid="assignment-preview">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('packs.annotator')}</Table.Th>
                <Table.Th ta="right">{t('packs.packItems')}</Table.Th>
                <Table.Th ta="right">{t('packs.gold')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {shown.value.packs.map((p) => (
                <Table.Tr key={p.annotator}>
                  <Table.Td>{p.annotator}</Table.Td>
                  <Table.Td ta="right">{n(p.items)}</Table.Td>
                  <Table.Td ta="right">{n(p.gold)}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
            <Table.Caption>{t('packs.previewCaption', { items: n(shown.value.items), gold: n(shown.value.goldPool), k: draft.overlap })}</Table.Caption>
          </Table>
        )}
        {!!error && <Alert color="red">{errorText(t, error)}</Alert>}
        <Group justify="flex-end">
          <Button leftSection={<IconPackages size={16} />} onClick={() => void write()} disabled={!shown?.value || shown.value.items === 0} loading={busy} data-testid="assignment-write">
            {t('packs.write')}
          </Button>
        </Group>
      </Stack>
    </Paper>
  );
}
