import { useEffect, useState } from 'react';
import {
  Alert,
  Badge,
  Button,
  Code,
  Group,
  Modal,
  Progress,
  Radio,
  ScrollArea,
  Select,
  SimpleGrid,
  Stack,
  Table,
  Text,
  TextInput,
} from '@mantine/core';
import { IconAlertTriangle, IconCheck, IconFileImport } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { ImportFormat, ImportRedaction, type BadLinePolicy, type ColumnMapping, type ImportStatus } from '../../../../shared/contract/schemas';
import { call } from '../../ipc/client';
import { errorText } from '../../app/errors';
import { useImport } from './useImport';
import { AnnotatorColumnsMapping, annotatorColumnsDefaults, annotatorColumnsRequest } from './AnnotatorColumnsMapping';

interface Props {
  opened: boolean;
  projectId: string;
  onClose(): void;
  onCommitted(status: ImportStatus): void;
}

const SHOWN_ERRORS = 200;
const MAPPING_ROLES = ['intent', 'sentiment', 'id', 'annotator'] as const;

/** Choose a file, map its columns, watch it import, and decide what happens to bad lines. */
export function ImportDialog({ opened, projectId, onClose, onCommitted }: Props) {
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
          <IconFileImport size={20} />
          <Text fw={600}>{t('imports.title')}</Text>
        </Group>
      }
    >
      {opened && <ImportFlow projectId={projectId} onClose={onClose} onCommitted={onCommitted} onRunningChange={setRunning} />}
    </Modal>
  );
}

/** The default column for each role, guessed from the header's names. */
function guessMapping(columns: string[]): Partial<ColumnMapping> {
  const guess = (names: string[]) => columns.find((c) => names.includes(c.toLowerCase()));
  return {
    text: guess(['text', 'content', 'utterance', 'sentence', 'query', 'review', '文本', '内容']) ?? columns[0],
    intent: guess(['intent', '意图']),
    sentiment: guess(['sentiment', '情感']),
    id: guess(['id']),
    annotator: guess(['annotator']),
  };
}

/** Mounted each time the dialog opens, so every import starts clean. */
function ImportFlow({ projectId, onClose, onCommitted, onRunningChange }: Omit<Props, 'opened'> & { onRunningChange(running: boolean): void }) {
  const { t, i18n } = useTranslation();
  const imp = useImport(projectId);
  const [file, setFile] = useState<{ token: string; name: string } | null>(null);
  const [format, setFormat] = useState<ImportFormat>('jsonl');
  const [policy, setPolicy] = useState<BadLinePolicy>('ask');
  const [redact, setRedact] = useState<ImportRedaction>('none');
  const [mapping, setMapping] = useState<Partial<ColumnMapping>>({});
  const { inspection, status } = imp;
  const running = status?.state === 'running';

  useEffect(() => onRunningChange(running), [running, onRunningChange]);
  const committedId = status?.state === 'committed' ? status.id : null;
  useEffect(() => {
    if (committedId && status) onCommitted(status);
    // Once per committed import, not on every status object.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [committedId]);

  const inspect = async (token: string, chosen?: ImportFormat) => {
    const result = await imp.inspect(token, chosen);
    if (!result) return;
    setFormat(result.format);
    setMapping(result.annotatorColumns ? annotatorColumnsDefaults(result.annotatorColumns) : guessMapping(result.columns ?? []));
  };
  const browse = async () => {
    const picked = await call('system.pickFile', { purpose: 'import' });
    if (picked.token && picked.name) {
      setFile({ token: picked.token, name: picked.name });
      await inspect(picked.token);
    }
  };
  const tabular = format === 'csv' || format === 'tsv';
  const byAnnotator = format === 'annotator-columns';
  const columnOptions = (inspection?.columns ?? []).map((c) => ({ value: c, label: c }));
  const start = () => {
    const m = byAnnotator
      ? annotatorColumnsRequest(mapping)
      : tabular && mapping.text
        ? (Object.fromEntries(Object.entries(mapping).filter(([, v]) => v)) as ColumnMapping)
        : undefined;
    if (file) void imp.start(file.token, format, policy, m, redact);
  };
  const startable = byAnnotator ? !!mapping.text && !!inspection?.annotatorColumns?.annotators.length : !tabular || !!mapping.text;
  const percent = status && status.totalBytes ? Math.round((status.bytesRead / status.totalBytes) * 100) : 0;
  const numbers = (n: number) => n.toLocaleString(i18n.language);

  return (
    <Stack gap="md" data-testid="import-dialog">
      {!status && (
        <>
          <Group align="flex-end" gap="xs">
            <TextInput
              style={{ flex: 1 }}
              label={t('imports.file')}
              placeholder={t('imports.filePlaceholder')}
              value={file?.name ?? ''}
              readOnly
              tabIndex={-1}
              data-testid="import-file"
            />
            <Button variant="default" onClick={() => void browse()} loading={imp.busy && !inspection} data-autofocus>
              {t('imports.browse')}
            </Button>
          </Group>
          {inspection && (
            <Stack gap="sm">
              <SimpleGrid cols={3}>
                <Select
                  label={t('imports.format')}
                  data={ImportFormat.options.map((f) => ({ value: f, label: t(`imports.format_${f}`) }))}
                  value={format}
                  allowDeselect={false}
                  onChange={(v) => {
                    if (!v) return;
                    if (file) void inspect(file.token, v as ImportFormat);
                  }}
                />
                <TextInput label={t('imports.encoding')} value={inspection.encoding.toUpperCase()} readOnly />
                <TextInput label={t('imports.size')} value={`${numbers(Math.ceil(inspection.sizeBytes / 1024))} KB`} readOnly />
              </SimpleGrid>
              {tabular && (
                <SimpleGrid cols={3} data-testid="column-mapping">
                  <Select
                    label={t('imports.textColumn')}
                    data={columnOptions}
                    value={mapping.text ?? null}
                    onChange={(v) => setMapping((m) => ({ ...m, text: v ?? undefined }))}
                    required
                  />
                  {MAPPING_ROLES.map((role) => (
                    <Select
                      key={role}
                      label={t(`imports.${role}Column`)}
                      data={columnOptions}
                      placeholder={t('imports.notMapped')}
                      clearable
                      value={mapping[role] ?? null}
                      onChange={(v) => setMapping((m) => ({ ...m, [role]: v ?? undefined }))}
                    />
                  ))}
                </SimpleGrid>
              )}
              {byAnnotator && inspection.annotatorColumns && (
                <AnnotatorColumnsMapping info={inspection.annotatorColumns} mapping={mapping} onChange={setMapping} />
              )}
              <div>
                <Text size="sm" fw={500} mb={4}>
                  {t('imports.sample')}
                </Text>
                <Code block style={{ maxHeight: 140, overflow: 'auto' }}>
                  {inspection.sample.join('\n')}
                </Code>
              </div>
              <Radio.Group label={t('imports.badLines')} value={policy} onChange={(v) => setPolicy(v as BadLinePolicy)}>
                <Group mt={6}>
                  {(['ask', 'skip', 'abort'] as const).map((p) => (
                    <Radio key={p} value={p} label={t(`imports.policy_${p}`)} />
                  ))}
                </Group>
              </Radio.Group>
              <Select
                label={t('imports.redact')}
                description={t('imports.redactHelp')}
                data={ImportRedaction.options.map((m) => ({ value: m, label: t(`redaction.mode_${m}`) }))}
                value={redact}
                allowDeselect={false}
                onChange={(v) => v && setRedact(v as ImportRedaction)}
                data-testid="import-redact"
              />
              <Group justify="flex-end">
                <Button variant="default" onClick={onClose}>
                  {t('common.cancel')}
                </Button>
                <Button onClick={start} disabled={!startable} loading={imp.busy}>
                  {t('imports.start')}
                </Button>
              </Group>
            </Stack>
          )}
        </>
      )}

      {status && (
        <Stack gap="sm" data-testid="import-status" data-state={status.state}>
          <Group justify="space-between">
            <Text fw={600}>{status.file.split(/[\\/]/).pop()}</Text>
            {status.encoding && <Badge variant="light">{status.encoding.toUpperCase()}</Badge>}
          </Group>
          {running && (
            <>
              <Text size="sm">{t(status.phase === 'committing' ? 'imports.committing' : 'imports.running')}</Text>
              <Progress value={percent} animated striped size="lg" aria-label={t('imports.running')} />
              <Text size="sm" c="dimmed">
                {percent}% ·{' '}
                {t('imports.progress', { lines: numbers(status.linesRead), good: numbers(status.goodRows), bad: numbers(status.badLines) })}
              </Text>
              <Group justify="flex-end">
                <Button color="red" variant="light" onClick={() => void imp.cancel()}>
                  {t('imports.cancelImport')}
                </Button>
              </Group>
            </>
          )}
          {status.state === 'committed' && (
            <Alert color="teal" icon={<IconCheck />} title={t('imports.committedTitle')}>
              {t('imports.committedBody', {
                imported: numbers(status.imported),
                duplicates: numbers(status.duplicates),
                annotations: numbers(status.annotations),
                bad: numbers(status.badLines),
              })}
              {Object.keys(status.redacted).length > 0 && (
                <Text size="sm" mt={4} data-testid="import-redacted">
                  {t('imports.redacted', {
                    list: Object.entries(status.redacted)
                      .map(([type, n]) => `${t(`redaction.type_${type}`, { defaultValue: type })} ${numbers(n)}`)
                      .join('、'),
                  })}
                </Text>
              )}
              {status.newLabels.length > 0 && (
                <Text size="sm" mt={4}>
                  {t('imports.newLabels', { labels: status.newLabels.map((l) => l.split(':').slice(1).join(':')).join('、') })}
                </Text>
              )}
            </Alert>
          )}
          {status.state === 'needs-decision' && (
            <Alert color="orange" icon={<IconAlertTriangle />} title={t('imports.decisionTitle', { count: status.badLines })}>
              {t('imports.decisionBody', { good: numbers(status.goodRows) })}
            </Alert>
          )}
          {(status.state === 'failed' || status.state === 'cancelled' || status.state === 'discarded') && (
            <Alert color={status.state === 'failed' ? 'red' : 'gray'} icon={<IconAlertTriangle />} title={t(`imports.${status.state}Title`)}>
              {status.fatal && (
                <>
                  <Text size="sm">{t(`fatal.${status.fatal.kind}`, { defaultValue: t('fatal.other') })}</Text>
                  <Text size="xs" c="dimmed" mt={4} style={{ wordBreak: 'break-all' }}>
                    {status.fatal.line !== null ? `${t('imports.line')} ${status.fatal.line}: ` : ''}
                    {status.fatal.reason}
                  </Text>
                </>
              )}
            </Alert>
          )}
          {status.errors.length > 0 && (
            <ScrollArea.Autosize mah={260} type="auto">
              <Table striped stickyHeader verticalSpacing={4} data-testid="import-errors">
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th w={90}>{t('imports.line')}</Table.Th>
                    <Table.Th>{t('imports.reason')}</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {status.errors.slice(0, SHOWN_ERRORS).map((e) => (
                    <Table.Tr key={e.line}>
                      <Table.Td ff="monospace">{e.line}</Table.Td>
                      <Table.Td>{e.reason}</Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </ScrollArea.Autosize>
          )}
          {status.badLines > Math.min(status.errors.length, SHOWN_ERRORS) && (
            <Text size="xs" c="dimmed">
              {t('imports.moreErrors', { count: status.badLines - Math.min(status.errors.length, SHOWN_ERRORS) })}
            </Text>
          )}
          {status.state === 'needs-decision' && (
            <Group justify="flex-end">
              <Button variant="default" onClick={() => void imp.decide('discard')} loading={imp.busy}>
                {t('imports.importNothing')}
              </Button>
              <Button onClick={() => void imp.decide('import-good')} loading={imp.busy} data-autofocus>
                {t('imports.importGood', { count: status.goodRows })}
              </Button>
            </Group>
          )}
          {!running && status.state !== 'needs-decision' && (
            <Group justify="flex-end">
              <Button onClick={onClose} data-autofocus>
                {t('common.close')}
              </Button>
            </Group>
          )}
        </Stack>
      )}
      {!!imp.error && (
        <Alert color="red" role="alert">
          {errorText(t, imp.error)}
        </Alert>
      )}
    </Stack>
  );
}
