import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test, expect } from '@playwright/test';
import { launchApp, type App } from './harness';

let app: App;
test.afterEach(async () => {
  await app?.close();
});

test('create a project, import a file, browse and search its items, by keyboard', async ({}, testInfo) => {
  app = await launchApp();
  const { page } = app;
  const file = join(app.dir, 'utterances.jsonl');
  const lines = Array.from({ length: 1200 }, (_, i) =>
    JSON.stringify({ text: `第${i + 1}条：我的订单${20241100000 + i}什么时候发货？📦`, meta: { channel: 'app' } }),
  );
  lines.push(JSON.stringify({ text: '我要投诉，客服一直不回复😡', intent: '投诉', sentiment: '消极' }));
  writeFileSync(file, `${lines.join('\n')}\n`);

  await expect(page.getByText('还没有项目')).toBeVisible();
  await page.keyboard.press('n');
  const name = page.getByRole('textbox', { name: '名称', exact: true });
  await expect(name).toBeFocused();
  await name.fill('售后意图');
  await name.press('Enter');
  await expect(page.getByTestId('project-title')).toHaveText('售后意图');

  // The renderer never names a file: the shell's dialog (here the harness's stand-in) hands the core
  // the path and the page a token and the file's name.
  app.filesToPick.push(file);
  await page.keyboard.press('i');
  const choose = page.getByRole('button', { name: '选择文件…' });
  await expect(choose).toBeFocused();
  await choose.press('Enter');
  await expect(page.getByTestId('import-file')).toHaveValue('utterances.jsonl');
  await expect(page.getByRole('textbox', { name: '编码' })).toHaveValue('UTF-8');
  await page.getByRole('button', { name: '开始导入' }).click();
  await expect(page.getByTestId('import-status')).toHaveAttribute('data-state', 'committed');
  await expect(page.getByText('新增 1,201 条')).toBeVisible();
  await page.keyboard.press('Escape');

  await expect(page.getByTestId('item-count')).toHaveText('共 1,201 条');
  await expect(page.getByRole('row').first()).toContainText('第1条');
  // Only the rows on screen exist, however many items there are.
  expect(await page.getByRole('row').count()).toBeLessThan(60);

  const table = page.getByTestId('item-table');
  await table.focus();
  await page.keyboard.press('End');
  await expect(page.getByText('我要投诉，客服一直不回复😡')).toBeVisible();
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('item-detail')).toContainText('投诉');
  await page.keyboard.press('Escape');

  await page.keyboard.press('/');
  await page.keyboard.type('第120条');
  await expect(page.getByTestId('item-count')).toHaveText('找到 1 条');
  await page.screenshot({ path: testInfo.outputPath('project-items.png') });

  const stats = await app.core.dispatch('projects.list', {});
  expect(stats.ok && (stats.value as { itemCount: number }[])[0]?.itemCount).toBe(1201);
});

test('bad lines are reported with their numbers and nothing changes until the user decides', async ({}, testInfo) => {
  app = await launchApp();
  const { page } = app;
  const created = await app.core.dispatch('projects.create', { name: '导入错误' });
  expect(created.ok).toBe(true);
  const file = join(app.dir, 'bad.jsonl');
  writeFileSync(file, ['{"text": "查一下订单"}', '{"text": 物流到哪了}', '{"text": ""}', '{"text": "退货怎么操作"}'].join('\n'));
  app.filesToPick.push(file);

  await page.reload();
  await page.getByText('导入错误').click();
  await page.keyboard.press('i');
  await page.getByRole('button', { name: '选择文件…' }).click();
  await expect(page.getByTestId('import-file')).toHaveValue('bad.jsonl');
  await page.getByRole('button', { name: '开始导入' }).click();
  await expect(page.getByTestId('import-status')).toHaveAttribute('data-state', 'needs-decision');
  const errors = page.getByTestId('import-errors');
  await expect(errors).toContainText('2');
  await expect(errors).toContainText('malformed JSON');
  await expect(errors).toContainText('3');
  await page.screenshot({ path: testInfo.outputPath('import-bad-lines.png') });

  const before = await app.core.dispatch('items.list', { projectId: (created as { value: { id: string } }).value.id });
  expect(before.ok && (before.value as { total: number }).total).toBe(0);
  await page.getByRole('button', { name: '导入 2 条有效数据' }).click();
  await expect(page.getByTestId('import-status')).toHaveAttribute('data-state', 'committed');
  await page.getByRole('button', { name: '关闭' }).click();
  await expect(page.getByTestId('item-count')).toHaveText('共 2 条');
});

test('the demo project, in English and in the dark', async ({}, testInfo) => {
  app = await launchApp({ demo: true, colorScheme: 'dark', language: 'en' });
  const { page } = app;
  await expect(page.getByText('演示：电商客服')).toBeVisible();
  await page.screenshot({ path: testInfo.outputPath('projects-dark-en.png') });
  await page.getByRole('row', { name: /演示/ }).focus();
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('item-count')).toHaveText('305 items');
  await page.getByTestId('item-table').focus();
  for (let i = 0; i < 7; i++) await page.keyboard.press('ArrowDown');
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('item-detail')).toBeVisible();
  await page.screenshot({ path: testInfo.outputPath('item-detail-dark-en.png') });
});

test('the demo project, in Chinese and light: an item with its gold annotation', async ({}, testInfo) => {
  app = await launchApp({ demo: true });
  const { page } = app;
  await page.getByRole('row', { name: /演示/ }).focus();
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('item-count')).toHaveText('共 305 条');
  await page.getByTestId('item-table').focus();
  for (let i = 0; i < 12; i++) await page.keyboard.press('ArrowDown');
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('item-detail')).toContainText('gold');
  await page.screenshot({ path: testInfo.outputPath('item-detail-light-zh.png') });
});
