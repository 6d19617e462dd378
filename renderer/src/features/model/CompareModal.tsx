import { useEffect, useState } from 'react';
import { Alert, Group, Loader, Modal, SegmentedControl, Select, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core';
import { IconAlertTriangle } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import type { ComparedVersion, ModelComparison, ModelVersion } from '../../../../shared/contract/schemas';
import { call } from '../../ipc/client';
import { errorText } from '../../app/errors';

type Task = ModelVersion['task'];
type CompareScope = ModelComparison['scope'];
const TASKS: readonly Task[] = ['intents', 'sentiment'];

interface Props {
  projectId: string;
  /** The project's versions (any order); only tasks with two or more can be compared. */
  versions: ModelVersion[];
  opened: boolean;
  onClose(): void;
}

/** The tasks that have at least two versions. */
export function comparableTasks(versions: ModelVersion[]): Task[] {
  return TASKS.filter((task) => versions.filter((v) => v.task === task).length >= 2);
}

/** Two versions of a head side by side: accuracy, macro-F1, per-label scores, confusion and McNemar's test. */
export function CompareModal({ projectId, versions, opened, onClose }: Props) {
  const { t } = useTranslation();
  return (
    <Modal opened={opened} onClose={onClose} title={t('compare.title')} size={1100} data-testid="compare-modal">
      {opened && <CompareBody projectId={projectId} versions={versions} />}
    </Modal>
  );
}

const newestFirst = (versions: ModelVersion[], task: Task | null): ModelVersion[] =>
  versions.filter((v) => v.task === task).sort((x, y) => y.version - x.version);

/** The newest version as B and the one before it as A. */
function defaults(versions: ModelVersion[], task: Task | null): { task: Task | null; a: string | null; b: string | null } {
  const list = newestFirst(versions, task);
  return { task, a: list[1]?.id ?? null, b: list[0]?.id ?? null };
}

function CompareBody({ projectId, versions }: Omit<Props, 'opened' | 'onClose'>) {
  const { t, i18n } = useTranslation();
  const tasks = comparableTasks(versions);
  const [pick, setPick] = useState(() => defaults(versions, tasks[0] ?? null));
  const { a, b } = pick;
  const [scope, setScope] = useState<CompareScope>('held-out');
  const key = a && b && a !== b ? `${a}|${b}|${scope}` : null;
  const [state, setState] = useState<{ key: string; result?: ModelComparison; error?: unknown } | null>(null);

  useEffect(() => {
    if (!key || !a || !b) return;
    let live = true;
    call('models.compare', { projectId, a, b, scope }).then(
      (result) => live && setState({ key, result }),
      (error: unknown) => live && setState({ key, error }),
    );
    return () => {
      live = false;
    };
  }, [projectId, key, a, b, scope]);

  if (!tasks.length) return <Text size="sm">{t('compare.needTwo')}</Text>;
  const current = state && state.key === key ? state : null;
  const list = newestFirst(versions, pick.task);
  const option = (v: ModelVersion, other: string | null) => ({
    value: v.id,
    disabled: v.id === other,
    label: t('compare.versionOption', {
      version: v.version,
      source: t(`model.source_${String(v.metrics.source ?? 'supervised')}`),
      n: v.trainedOn,
      date: new Date(v.createdAt).toLocaleString(i18n.language, { dateStyle: 'short', timeStyle: 'short' }),
    }),
  });

  return (
    <Stack gap="md">
      <Group gap="sm" align="flex-end" wrap="wrap">
        <Select
          data-autofocus
          label={t('compare.task')}
          w={140}
          allowDeselect={false}
          value={pick.task}
          data={tasks.map((task) => ({ value: task, label: t(`model.task_${task}`) }))}
          onChange={(v) => v && setPick(defaults(versions, v as Task))}
          data-testid="compare-task"
        />
        <Select
          label={t('compare.versionA')}
          w={320}
          allowDeselect={false}
          value={a}
          data={list.map((v) => option(v, b))}
          onChange={(v) => v && setPick({ ...pick, a: v })}
          data-testid="compare-a"
        />
        <Select
          label={t('compare.versionB')}
          w={320}
          allowDeselect={false}
          value={b}
          data={list.map((v) => option(v, a))}
          onChange={(v) => v && setPick({ ...pick, b: v })}
          data-testid="compare-b"
        />
        <Stack gap={4}>
          <Text size="sm" fw={500}>
            {t('compare.scope')}
          </Text>
          <SegmentedControl
            size="sm"
            value={scope}
            onChange={(v) => setScope(v as CompareScope)}
            data={[
              { value: 'held-out', label: t('compare.scope_held-out') },
              { value: 'all', label: t('compare.scope_all') },
            ]}
            data-testid="compare-scope"
          />
        </Stack>
      </Group>
      {!current ? (
        <Group gap="xs" data-testid="compare-loading">
          <Loader size="sm" />
          <Text size="sm" c="dimmed">
            {t('compare.loading')}
          </Text>
        </Group>
      ) : current.result ? (
        <Result result={current.result} />
      ) : (
        <Alert color="red" icon={<IconAlertTriangle size={16} />}>
          {errorText(t, current.error)}
        </Alert>
      )}
    </Stack>
  );
}

const f3 = (x: number): string => x.toFixed(3);
const pText = (p: number): string => (p < 0.001 ? p.toExponential(1) : p.toFixed(3));
const name = (v: ComparedVersion): string => `v${v.version}`;

function Result({ result }: { result: ModelComparison }) {
  const { t } = useTranslation();
  const { a, b, n, mcnemar: m } = result;
  const best = (pick: (v: ComparedVersion) => number, v: ComparedVersion) => (pick(v) > pick(v === a ? b : a) ? 700 : undefined);
  const trained = (v: ComparedVersion) =>
    v.source === 'zero-shot'
      ? t('compare.zeroShot')
      : t(v.trainingItems.exact ? 'compare.trainedItems' : 'compare.trainedItemsUpTo', { n: v.trainedOn, count: v.trainingItems.count });
  const verdict =
    m.b + m.c === 0
      ? t('compare.verdictSame')
      : result.verdict === 'tie'
        ? t('compare.verdictTie', { a: name(a), b: name(b), onlyA: m.b, onlyB: m.c, p: pText(m.pValue), alpha: result.alpha })
        : t('compare.verdictBetter', {
            better: name(result.verdict === 'a' ? a : b),
            worse: name(result.verdict === 'a' ? b : a),
            wins: result.verdict === 'a' ? m.b : m.c,
            losses: result.verdict === 'a' ? m.c : m.b,
            p: pText(m.pValue),
            alpha: result.alpha,
          });

  return (
    <Stack gap="md" data-testid="compare-result">
      <Text size="sm" c="dimmed">
        {result.scope === 'held-out' ? t('compare.evaluatedOnHeldOut', { n, labeled: result.labeled }) : t('compare.evaluatedOn', { n })}
      </Text>
      <Table withTableBorder withColumnBorders tabularNums fz="sm" w="auto" data-testid="compare-overview">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('compare.metric')}</Table.Th>
            <Table.Th>{name(a)}</Table.Th>
            <Table.Th>{name(b)}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          <Table.Tr>
            <Table.Th>{t('compare.accuracy')}</Table.Th>
            {[a, b].map((v) => (
              <Table.Td key={v.id} fw={best((x) => x.accuracy, v)} data-metric="accuracy">
                {f3(v.accuracy)}
              </Table.Td>
            ))}
          </Table.Tr>
          <Table.Tr>
            <Table.Th>{t('compare.macroF1')}</Table.Th>
            {[a, b].map((v) => (
              <Table.Td key={v.id} fw={best((x) => x.macroF1, v)} data-metric="macroF1">
                {f3(v.macroF1)}
              </Table.Td>
            ))}
          </Table.Tr>
          <Table.Tr>
            <Table.Th>{t('compare.correct')}</Table.Th>
            {[a, b].map((v) => (
              <Table.Td key={v.id}>{t('compare.correctOf', { correct: v.correct, n })}</Table.Td>
            ))}
          </Table.Tr>
          <Table.Tr>
            <Table.Th>{t('compare.trainedOn')}</Table.Th>
            {[a, b].map((v) => (
              <Table.Td key={v.id}>{trained(v)}</Table.Td>
            ))}
          </Table.Tr>
        </Table.Tbody>
      </Table>

      <Alert
        color={result.verdict === 'tie' ? 'gray' : 'teal'}
        title={t('compare.mcnemar')}
        data-testid="compare-verdict"
        data-verdict={result.verdict}
      >
        <Text size="sm">{verdict}</Text>
        <Text size="xs" c="dimmed" mt={4}>
          {m.exact ? t('compare.method_exact') : t('compare.method_chi2', { statistic: m.statistic.toFixed(2) })}
        </Text>
      </Alert>

      {result.includesTrainingItems && (
        <Alert color="yellow" icon={<IconAlertTriangle size={16} />} data-testid="compare-caveat">
          {[a, b]
            .filter((v) => v.trainingItems.count > 0)
            .map((v) => (
              <Text size="sm" key={v.id}>
                {v.trainingItems.exact
                  ? t('compare.trainedExact', { version: name(v), count: v.trainingItems.count })
                  : t('compare.trainedUpTo', { version: name(v), trainedOn: v.trainedOn, count: v.trainingItems.count })}
              </Text>
            ))}
          <Text size="sm" mt={4}>
            {t('compare.trainedNote')}
          </Text>
        </Alert>
      )}

      <Stack gap={4}>
        <Title order={5}>{t('compare.perLabel')}</Title>
        <Table.ScrollContainer minWidth={640}>
          <Table withTableBorder withColumnBorders striped tabularNums fz="xs" verticalSpacing={4} data-testid="compare-per-label">
            <Table.Thead>
              <Table.Tr>
                <Table.Th rowSpan={2}>{t('compare.label')}</Table.Th>
                <Table.Th rowSpan={2}>{t('compare.support')}</Table.Th>
                <Table.Th colSpan={3} ta="center">
                  {name(a)}
                </Table.Th>
                <Table.Th colSpan={3} ta="center">
                  {name(b)}
                </Table.Th>
              </Table.Tr>
              <Table.Tr>
                {[a, b].flatMap((v) =>
                  (['precision', 'recall', 'f1'] as const).map((k) => <Table.Th key={`${v.id}-${k}`}>{t(`compare.${k}`)}</Table.Th>),
                )}
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {a.perLabel.map((s, i) => {
                const o = b.perLabel[i];
                return (
                  <Table.Tr key={s.label} data-label={s.label}>
                    <Table.Td>{s.label}</Table.Td>
                    <Table.Td>{s.support}</Table.Td>
                    {[s, o].flatMap((x, j) =>
                      x
                        ? [x.precision, x.recall, x.f1].map((value, k) => <Table.Td key={`${j}-${k}`}>{f3(value)}</Table.Td>)
                        : [<Table.Td key={j} colSpan={3} />],
                    )}
                  </Table.Tr>
                );
              })}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      </Stack>

      <Stack gap={4}>
        <Text size="xs" c="dimmed">
          {t('compare.confusionHelp')}
        </Text>
        <SimpleGrid cols={{ base: 1, md: 2 }} spacing="md">
          <Heatmap side={a} testId="confusion-a" />
          <Heatmap side={b} testId="confusion-b" />
        </SimpleGrid>
      </Stack>
    </Stack>
  );
}

/** A confusion matrix as a compact table whose cells darken with their share of the row. */
function Heatmap({ side, testId }: { side: ComparedVersion; testId: string }) {
  const { t } = useTranslation();
  const { labels, matrix } = side.confusion;
  const caption = t('compare.confusion', { version: name(side) });
  return (
    <Stack gap={4}>
      <Title order={6}>{caption}</Title>
      <Table.ScrollContainer minWidth={labels.length * 36 + 120}>
        <Table
          withTableBorder
          withColumnBorders
          tabularNums
          fz="xs"
          horizontalSpacing={4}
          verticalSpacing={2}
          aria-label={caption}
          data-testid={testId}
        >
          <Table.Thead>
            <Table.Tr>
              <Table.Th />
              {labels.map((label) => (
                <Table.Th key={label} title={label} style={{ writingMode: 'vertical-rl', verticalAlign: 'bottom', whiteSpace: 'nowrap' }}>
                  {label}
                </Table.Th>
              ))}
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {matrix.map((row, i) => {
              const total = row.reduce((s, x) => s + x, 0);
              return (
                <Table.Tr key={labels[i]}>
                  <Table.Th style={{ whiteSpace: 'nowrap' }}>{labels[i]}</Table.Th>
                  {row.map((count, j) => {
                    const share = total ? count / total : 0;
                    const alpha = count ? 0.12 + 0.78 * share : 0;
                    const rgb = i === j ? '18, 184, 134' : '250, 82, 82';
                    const label = t('compare.cell', { truth: labels[i], predicted: labels[j], count });
                    return (
                      <Table.Td
                        key={labels[j]}
                        ta="center"
                        title={label}
                        aria-label={label}
                        data-count={count}
                        data-diagonal={i === j || undefined}
                        style={{
                          backgroundColor: count ? `rgba(${rgb}, ${alpha.toFixed(3)})` : undefined,
                          color: alpha > 0.55 ? 'white' : count ? undefined : 'var(--mantine-color-dimmed)',
                        }}
                      >
                        {count}
                      </Table.Td>
                    );
                  })}
                </Table.Tr>
              );
            })}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
    </Stack>
  );
}
