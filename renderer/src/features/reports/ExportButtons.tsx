import { useState } from 'react';
import { Button, Group } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconDownload } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import type { ReportFilter, ReportFormat } from '../../../../shared/contract/reports';
import { errorText } from '../../app/errors';
import { exportReport } from './exportReport';

const FORMATS: readonly ReportFormat[] = ['csv', 'json', 'html'];

/** CSV, JSON or one self-contained HTML page of the report as filtered on screen. */
export function ExportButtons({ projectId, filter, disabled }: { projectId: string; filter: ReportFilter; disabled: boolean }) {
  const { t, i18n } = useTranslation();
  const [busy, setBusy] = useState<ReportFormat | null>(null);
  const run = async (format: ReportFormat) => {
    setBusy(format);
    try {
      const file = await exportReport(projectId, filter, format, i18n.language === 'en' ? 'en' : 'zh-CN');
      notifications.show({ color: 'teal', message: t('reports.saved', { file: file.fileName }) });
    } catch (error) {
      notifications.show({ color: 'red', title: t('reports.exportFailed'), message: errorText(t, error) });
    } finally {
      setBusy(null);
    }
  };
  return (
    <Group gap={6} role="group" aria-label={t('reports.export')}>
      {FORMATS.map((format) => (
        <Button
          key={format}
          variant="default"
          size="sm"
          leftSection={<IconDownload size={14} />}
          loading={busy === format}
          disabled={disabled || (busy !== null && busy !== format)}
          onClick={() => void run(format)}
          aria-label={t('reports.exportAs', { format: format.toUpperCase() })}
          data-testid={`export-${format}`}
        >
          {format.toUpperCase()}
        </Button>
      ))}
    </Group>
  );
}
