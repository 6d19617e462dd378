import { useEffect, useState } from 'react';
import { Loader, ScrollArea, Table, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { ExportRedaction, RedactionPreview } from '../../../../shared/contract/export';
import { call } from '../../ipc/client';
import { errorText } from '../../app/errors';

/** Real items of the project with personal data, before and after the chosen redaction. */
export function RedactionPreviewTable({ projectId, mode }: { projectId: string; mode: Exclude<ExportRedaction, 'none'> }) {
  const { t } = useTranslation();
  const [preview, setPreview] = useState<{ mode: string; value: RedactionPreview } | null>(null);
  const [failure, setFailure] = useState<{ mode: string; error: unknown } | null>(null);
  useEffect(() => {
    let live = true;
    call('export.preview', { projectId, mode, limit: 5 }).then(
      (value) => live && setPreview({ mode, value }),
      (error: unknown) => live && setFailure({ mode, error }),
    );
    return () => {
      live = false;
    };
  }, [projectId, mode]);
  if (failure?.mode === mode) {
    return (
      <Text c="red" size="sm">
        {errorText(t, failure.error)}
      </Text>
    );
  }
  if (!preview || preview.mode !== mode) return <Loader size="sm" />;
  if (!preview.value.items.length) {
    return (
      <Text size="sm" c="dimmed" data-testid="redaction-preview-empty">
        {t('export.previewNone', { n: preview.value.scanned })}
      </Text>
    );
  }
  return (
    <ScrollArea.Autosize mah={200} type="auto">
      <Table verticalSpacing={4} data-testid="redaction-preview" withTableBorder>
        <Table.Thead>
          <Table.Tr>
            <Table.Th w="50%">{t('export.before')}</Table.Th>
            <Table.Th>{t('export.after')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {preview.value.items.map((item) => (
            <Table.Tr key={item.itemId}>
              <Table.Td>{item.before}</Table.Td>
              <Table.Td>{item.after}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </ScrollArea.Autosize>
  );
}
