import type { RenderedReport, ReportFilter, ReportFormat } from '../../../../shared/contract/reports';
import { call } from '../../ipc/client';

export type ReportLanguage = 'zh-CN' | 'en';

/** Saves text as a file through the browser's download (Electron asks where, Chromium saves to Downloads). */
export function saveFile(file: RenderedReport): void {
  const url = URL.createObjectURL(new Blob([file.content], { type: file.mime }));
  const a = document.createElement('a');
  a.href = url;
  a.download = file.fileName;
  a.style.display = 'none';
  document.body.appendChild(a);
  try {
    a.click();
  } finally {
    a.remove();
    // The download has started by the time a task later runs; the URL is not needed after that.
    setTimeout(() => URL.revokeObjectURL(url), 1000);
  }
}

/** Renders the report with the filter on screen, in the UI language, and saves it; resolves with what was saved. */
export async function exportReport(projectId: string, filter: ReportFilter, format: ReportFormat, language: ReportLanguage): Promise<RenderedReport> {
  const file = await call('reports.render', { projectId, filter, format, language });
  saveFile(file);
  return file;
}
