import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test, expect } from '@playwright/test';
import { launchApp, type App } from './harness';

let app: App;
test.afterEach(async () => {
  await app?.close();
});

test('export the demo project for training: formats, splits, redaction preview, folder dialog, progress, manifest', async ({}, testInfo) => {
  app = await launchApp({ demo: true });
  const { page } = app;
  await expect(page.getByRole('row', { name: /演示|Demo/ })).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('project-title')).toBeVisible();

  await page.keyboard.press('e');
  const dialog = page.getByTestId('export-dialog');
  await expect(dialog).toBeVisible();
  await expect(page.getByTestId('export-counts')).toContainText('共');
  // The folder button has the focus; everything else is reached with Tab and Space.
  await expect(page.getByRole('button', { name: '选择文件夹…' })).toBeFocused();
  for (const format of ['parquet', 'conll', 'csv']) {
    await page.getByTestId(`export-format-${format}`).focus();
    await page.keyboard.press('Space');
  }
  // Consensus is the default (as in the CLI): adjudicated values, else what every submitting annotator gave.
  await expect(page.getByRole('radio', { name: '裁决或一致' })).toBeChecked();

  await page.getByRole('combobox', { name: '个人信息脱敏' }).click();
  await page.getByRole('option', { name: '打码（138****5678）' }).click();
  const preview = page.getByTestId('redaction-preview');
  await expect(preview).toBeVisible();
  await expect(preview).toContainText('18612345678');
  await expect(preview).toContainText('186****5678');

  const out = join(app.dir, 'exports');
  mkdirSync(out);
  app.filesToPick.push(out);
  await page.getByRole('button', { name: '选择文件夹…' }).focus();
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('export-folder')).toHaveValue('exports');
  await page.screenshot({ path: testInfo.outputPath('export-dialog.png') });

  await page.getByTestId('export-start').focus();
  await page.keyboard.press('Enter');
  const status = page.getByTestId('export-status');
  await expect(status).toHaveAttribute('data-state', 'done', { timeout: 60_000 });
  const manifestTable = page.getByTestId('export-manifest');
  for (const file of ['train.jsonl', 'validation.jsonl', 'test.jsonl', 'train.parquet', 'train.conll', 'train.csv', 'README.md']) {
    await expect(manifestTable.getByRole('cell', { name: file, exact: true })).toBeVisible();
  }
  await page.screenshot({ path: testInfo.outputPath('export-done.png') });

  // On disk: one bundle, complete, with no phone number in it.
  const bundles = readdirSync(out);
  expect(bundles).toHaveLength(1);
  const bundle = join(out, bundles[0]!);
  const manifest = JSON.parse(readFileSync(join(bundle, 'manifest.json'), 'utf8')) as { files: { path: string; rows: number | null }[] };
  const rows = manifest.files.filter((f) => /^(train|validation|test)\.jsonl$/.test(f.path)).reduce((n, f) => n + (f.rows ?? 0), 0);
  expect(rows).toBeGreaterThan(20);
  await expect(status).toContainText(`导出 ${rows} 条`);
  const train = readFileSync(join(bundle, 'train.jsonl'), 'utf8') + readFileSync(join(bundle, 'validation.jsonl'), 'utf8') + readFileSync(join(bundle, 'test.jsonl'), 'utf8');
  expect(train).not.toContain('18612345678');
  expect(train).toContain('****');
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();
});
