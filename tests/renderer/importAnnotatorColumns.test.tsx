import { afterEach, describe, expect, it, vi } from 'vitest';
import { fireEvent, screen, waitFor } from '@testing-library/react';
import { ImportDialog } from '../../renderer/src/features/imports/ImportDialog';
import { BRIDGE_NAME } from '../../shared/contract/channels';
import type { FileInspection, ImportStatus } from '../../shared/contract/schemas';
import { renderWithTheme } from './render';

afterEach(() => {
  delete (window as unknown as Record<string, unknown>)[BRIDGE_NAME];
});

const FLAGS = ['ableist', 'homophobic', 'intellectual', 'racist', 'sexist', 'sex_harassment', 'transphobic', 'explicit', 'implicit'];
const ANNOTATORS = Array.from({ length: 8 }, (_, i) => `Annotator${i + 1}`);

const INSPECTION: FileInspection = {
  path: '/data/ConvAbuseEMNLPtrain.csv',
  sizeBytes: 878309,
  format: 'annotator-columns',
  encoding: 'utf-8',
  columns: ['example_id', 'conv_id', 'user'],
  sample: ['example_id,conv_id,prev_agent,prev_user,agent,user,bot,Annotator1_is_abuse.1,…'],
  annotatorColumns: {
    annotators: ANNOTATORS,
    oneHotFields: [
      { name: 'is_abuse', values: ['1', '0', '-1', '-2', '-3'] },
      { name: 'target', values: ['generalised', 'individual', 'system'] },
    ],
    flagFields: FLAGS,
    otherColumns: ['example_id', 'conv_id', 'prev_agent', 'prev_user', 'agent', 'user', 'bot'],
    defaults: { text: 'user', id: 'example_id', sentimentField: 'is_abuse', intentField: null, intentFlags: FLAGS },
    warnings: [
      'column 121 is named "Annotator6_transphobic" again but sits among Annotator7\'s columns, who has no "transphobic": read as Annotator7\'s',
    ],
  },
};

/** What the shell's file dialog hands the renderer: a token, never the path. */
const TOKEN = 'tok_0123456789abcdefABCDEF';

const STATUS: ImportStatus = {
  id: 'imp1',
  projectId: 'p1',
  file: INSPECTION.path,
  format: 'annotator-columns',
  encoding: 'utf-8',
  state: 'running',
  phase: 'reading',
  totalBytes: INSPECTION.sizeBytes,
  bytesRead: 0,
  linesRead: 0,
  goodRows: 0,
  imported: 0,
  duplicates: 0,
  annotations: 0,
  commitTotal: 0,
  committedRows: 0,
  badLines: 0,
  errors: [],
  fatal: null,
  newLabels: [],
  redacted: {},
  startedAt: '2026-03-01T08:00:00.000Z',
  finishedAt: null,
};

function bridge() {
  const invoke = vi.fn(async (channel: string, input: Record<string, unknown>) => {
    if (channel === 'system.pickFile') return { ok: true, value: { token: TOKEN, name: 'ConvAbuseEMNLPtrain.csv' } };
    if (channel === 'imports.inspect') return { ok: true, value: INSPECTION };
    if (channel === 'imports.start' || channel === 'imports.get') return { ok: true, value: STATUS };
    return { ok: false, error: { code: 'UNKNOWN_CHANNEL', message: `${channel} ${JSON.stringify(input)}` } };
  });
  (window as unknown as Record<string, unknown>)[BRIDGE_NAME] = { invoke, on: vi.fn(() => () => {}) };
  return invoke;
}

describe('ImportDialog: CSV with one column group per annotator', () => {
  it('summarises the annotators and the fields, and sends the mapping as shown', async () => {
    const invoke = bridge();
    renderWithTheme(<ImportDialog opened projectId="p1" onClose={() => {}} onCommitted={() => {}} />);
    fireEvent.click(screen.getByRole('button', { name: '选择文件…' }));
    await waitFor(() => expect(invoke).toHaveBeenCalledWith('imports.inspect', { fileToken: TOKEN }));
    expect((screen.getByTestId('import-file') as HTMLInputElement).value).toBe('ConvAbuseEMNLPtrain.csv');

    const summary = await screen.findByTestId('annotator-summary');
    expect(summary.textContent).toBe(`检测到 8 位标注员：${ANNOTATORS.join('、')}；情感取自 is_abuse；意图取自 ${FLAGS.join('、')}`);
    expect(screen.getByText(/read as Annotator7's/)).toBeTruthy();

    fireEvent.click(screen.getByRole('button', { name: '开始导入' }));
    await waitFor(() => expect(invoke).toHaveBeenCalledWith('imports.start', expect.anything()));
    expect(invoke.mock.calls.find(([channel]) => channel === 'imports.start')![1]).toEqual({
      projectId: 'p1',
      fileToken: TOKEN,
      format: 'annotator-columns',
      onBadLines: 'ask',
      redact: 'none',
      mapping: { text: 'user', id: 'example_id', sentimentField: 'is_abuse', intentField: '', intentFlags: FLAGS },
    });
  });
});
