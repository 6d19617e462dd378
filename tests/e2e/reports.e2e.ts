import { readFileSync } from 'node:fs';
import path from 'node:path';
import { test, expect } from '@playwright/test';
import { launchApp, type App } from './harness';

const TEAM = path.resolve(__dirname, '..', 'fixtures', 'multi-annotator', 'team.jsonl');

let app: App;
test.afterEach(async () => {
  await app?.close();
});

/** The demo project (its own team: 小王 and 小李 on 64 items) with three more annotators' labels on 40 of its items. */
async function demoWithTeam(options: Parameters<typeof launchApp>[0] = {}): Promise<App> {
  const launched = await launchApp({ demo: true, ...options });
  const project = launched.core.db.prepare('SELECT id FROM projects LIMIT 1').get() as { id: string };
  const status = await launched.core.imports.run({ projectId: project.id, filePath: TEAM, format: 'jsonl', onBadLines: 'abort' });
  expect(status.state).toBe('committed');
  return launched;
}

test('quality report of a team: agreement, annotators, a disagreement opened in the queue, HTML export', async ({}, testInfo) => {
  test.setTimeout(120_000);
  app = await demoWithTeam();
  const { page } = app;
  await page.getByRole('row', { name: /演示/ }).focus();
  await page.keyboard.press('Enter');
  await page.keyboard.press('r');
  await expect(page.getByTestId('report')).toBeVisible({ timeout: 30_000 });
  await expect(page.getByTestId('agreement-intents')).toContainText('Fleiss');
  await expect(page.getByTestId('report-totals')).toContainText('248');
  await page.screenshot({ path: testInfo.outputPath('report-overview.png'), fullPage: true });

  await page.getByRole('tab', { name: /标注员/ }).click();
  const rows = page.getByTestId('annotator-table').locator('tbody tr');
  await expect(rows).toHaveCount(5);
  await rows.filter({ hasText: '张伟' }).click();
  await expect(page.getByTestId('annotator-detail')).toBeVisible();
  await expect(page.getByTestId('pairwise-heatmap')).toBeVisible();
  await page.screenshot({ path: testInfo.outputPath('report-annotators.png'), fullPage: true });

  const download = page.waitForEvent('download');
  await page.getByTestId('export-html').click();
  const file = await (await download).path();
  const html = readFileSync(file!, 'utf8');
  expect(html).toMatch(/^<!doctype html>/);
  expect(html).toContain('张伟');

  await page.getByRole('tab', { name: /分歧/ }).click();
  const first = page.getByTestId('open-item').first();
  const ord = Number((await first.textContent())!.replace(/\D/g, ''));
  await first.click();
  await expect(page.getByTestId('span-text')).toBeVisible();
  await expect(page.getByTestId('item-ord')).toContainText(String(ord));
});

test('the report in English and dark', async ({}, testInfo) => {
  test.setTimeout(120_000);
  app = await demoWithTeam({ language: 'en', colorScheme: 'dark' });
  const { page } = app;
  await page.getByRole('row', { name: /演示|Demo/ }).focus();
  await page.keyboard.press('Enter');
  await page.keyboard.press('r');
  await expect(page.getByTestId('report')).toBeVisible({ timeout: 30_000 });
  await page.getByRole('tab', { name: /per label/i }).click();
  await expect(page.getByTestId('label-table')).toBeVisible();
  await page.screenshot({ path: testInfo.outputPath('report-labels-dark-en.png'), fullPage: true });
});
