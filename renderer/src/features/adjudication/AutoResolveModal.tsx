import { useEffect, useRef, useState } from 'react';
import { Alert, Button, Group, Modal, NumberInput, Paper, Progress, SegmentedControl, Select, SimpleGrid, Stack, Text } from '@mantine/core';
import { IconCheck, IconFlask } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import type { AutoInput, AutoPolicy, AutoResult } from '../../../../shared/contract/adjudication';
import { errorText } from '../../app/errors';
import { useAnnotators } from '../annotators/store';
import { call } from '../../ipc/client';

interface Props {
  opened: boolean;
  projectId: string;
  onClose(): void;
  /** After the resolution was applied (the queue and its counts changed). */
  onApplied(result: AutoResult): void;
}

const POLICIES: readonly AutoPolicy[] = ['unanimous', 'majority', 'dawid-skene'];
const TASKS = ['all', 'intents', 'sentiment', 'entities'] as const;
type Params = Omit<AutoInput, 'projectId' | 'dryRun'>;

/**
 * Automatic resolution: a policy and its thresholds, a dry run that counts what it would resolve,
 * then applying it (the person's decisions are never touched). Long runs show their progress.
 */
export function AutoResolveModal({ opened, projectId, onClose, onApplied }: Props) {
  const { t } = useTranslation();
  return (
    <Modal opened={opened} onClose={onClose} title={t('adjudication.auto.title')} size="lg" data-testid="auto-modal">
      {opened && <AutoBody projectId={projectId} onApplied={onApplied} onClose={onClose} />}
    </Modal>
  );
}

const paramsKey = (p: Params) => JSON.stringify(p);

function AutoBody({ projectId, onApplied, onClose }: Omit<Props, 'opened'>) {
  const actor = useAnnotators((a) => a.current);
  const { t, i18n } = useTranslation();
  const [params, setParams] = useState<Params>({ policy: 'majority', task: 'all', minAnnotators: 2, minShare: 0.66, minPosterior: 0.9 });
  const [dry, setDry] = useState<{ key: string; result: AutoResult } | null>(null);
  const [applied, setApplied] = useState<AutoResult | null>(null);
  const [running, setRunning] = useState<{ dryRun: boolean; since: number } | null>(null);
  const [elapsed, setElapsed] = useState(0);
  const [error, setError] = useState<unknown>(null);
  const closeButton = useRef<HTMLButtonElement>(null);
  const key = paramsKey(params);
  const dryMatches = dry?.key === key;

  useEffect(() => {
    if (!running) return;
    const timer = window.setInterval(() => setElapsed((Date.now() - running.since) / 1000), 200);
    return () => window.clearInterval(timer);
  }, [running]);

  // The apply button is gone once applied: focus goes to the close button, not to the page.
  useEffect(() => {
    if (applied) closeButton.current?.focus();
  }, [applied]);

  const run = async (dryRun: boolean) => {
    setError(null);
    setElapsed(0);
    setRunning({ dryRun, since: Date.now() });
    try {
      const result = await call('adjudication.auto', { projectId, ...params, dryRun, ...(actor ? { actorId: actor.id } : {}) });
      if (dryRun) setDry({ key, result });
      else {
        setApplied(result);
        setDry(null);
        onApplied(result);
      }
    } catch (e) {
      setError(e);
    } finally {
      setRunning(null);
    }
  };
  const set = (patch: Partial<Params>) => {
    setParams((p) => ({ ...p, ...patch }));
    setApplied(null);
  };
  const num = (n: number) => n.toLocaleString(i18n.language);
  const shown = applied ?? (dryMatches ? dry.result : null);

  return (
    <Stack gap="md">
      <Text size="sm" c="dimmed">
        {t('adjudication.auto.help')}
      </Text>
      <Stack gap={4}>
        <Text size="sm" fw={500} id="auto-policy-label">
          {t('adjudication.auto.policy')}
        </Text>
        <SegmentedControl
          aria-labelledby="auto-policy-label"
          value={params.policy}
          onChange={(v) => set({ policy: v as AutoPolicy })}
          data={POLICIES.map((p) => ({ value: p, label: t(`adjudication.auto.policy_${p}`) }))}
          data-testid="auto-policy"
        />
        <Text size="xs" c="dimmed">
          {t(`adjudication.auto.policyHelp_${params.policy}`)}
        </Text>
      </Stack>
      <SimpleGrid cols={3} spacing="sm">
        <Select
          label={t('adjudication.auto.task')}
          allowDeselect={false}
          value={params.task}
          data={TASKS.map((k) => ({ value: k, label: k === 'all' ? t('adjudication.queue.anyTask') : t(`adjudication.task.${k}`) }))}
          onChange={(v) => v && set({ task: v as Params['task'] })}
        />
        <NumberInput
          label={t('adjudication.auto.minAnnotators')}
          min={2}
          max={100}
          allowDecimal={false}
          value={params.minAnnotators}
          onChange={(v) => typeof v === 'number' && set({ minAnnotators: v })}
        />
        {params.policy === 'majority' && (
          <NumberInput
            label={t('adjudication.auto.minShare')}
            min={0.51}
            max={1}
            step={0.01}
            decimalScale={2}
            value={params.minShare}
            onChange={(v) => typeof v === 'number' && set({ minShare: v })}
          />
        )}
        {params.policy === 'dawid-skene' && (
          <NumberInput
            label={t('adjudication.auto.minPosterior')}
            min={0.51}
            max={1}
            step={0.01}
            decimalScale={2}
            value={params.minPosterior}
            onChange={(v) => typeof v === 'number' && set({ minPosterior: v })}
          />
        )}
      </SimpleGrid>

      {running && (
        <Stack gap={4} data-testid="auto-running">
          <Progress value={100} animated striped aria-label={t('adjudication.auto.running')} />
          <Text size="xs" c="dimmed">
            {t(running.dryRun ? 'adjudication.auto.runningDry' : 'adjudication.auto.runningApply', { seconds: elapsed.toFixed(1) })}
          </Text>
        </Stack>
      )}
      {!!error && <Alert color="red">{errorText(t, error)}</Alert>}
      {shown && !running && (
        <Paper withBorder p="sm" radius="md" data-testid={applied ? 'auto-applied' : 'auto-dry-run'}>
          <Text size="sm" fw={600} mb={6}>
            {applied ? t('adjudication.auto.appliedTitle', { written: num(applied.written) }) : t('adjudication.auto.dryTitle')}
          </Text>
          <SimpleGrid cols={3}>
            {(['resolved', 'disputed', 'kept_human'] as const).map((k) => (
              <div key={k}>
                <Text size="xl" fw={700} ff="monospace" data-result={k}>
                  {num(shown[k])}
                </Text>
                <Text size="xs" c="dimmed">
                  {t(`adjudication.auto.result_${k}`)}
                </Text>
              </div>
            ))}
          </SimpleGrid>
        </Paper>
      )}
      <Group justify="space-between">
        <Text size="xs" c="dimmed">
          {dryMatches || applied ? '' : t('adjudication.auto.dryFirst')}
        </Text>
        <Group gap="xs">
          {applied ? (
            <Button ref={closeButton} onClick={onClose} data-testid="auto-close">
              {t('common.close')}
            </Button>
          ) : (
            <>
              <Button data-autofocus variant="default" leftSection={<IconFlask size={16} />} loading={running?.dryRun} disabled={!!running} onClick={() => void run(true)} data-testid="auto-dry">
                {t('adjudication.auto.dryRun')}
              </Button>
              <Button leftSection={<IconCheck size={16} />} loading={running?.dryRun === false} disabled={!dryMatches || !!running} onClick={() => void run(false)} data-testid="auto-apply">
                {t('adjudication.auto.apply', { n: dryMatches ? num(dry.result.resolved) : '–' })}
              </Button>
            </>
          )}
        </Group>
      </Group>
    </Stack>
  );
}
