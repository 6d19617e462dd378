import { test, expect } from '@playwright/test';
import { launchApp, type App } from './harness';

let app: App;
test.afterEach(async () => {
  await app?.close();
});

/** A million items written straight into the database (the import path has its own tests and benchmark). */
function fillProject(app: App, projectId: string, n: number): void {
  const now = new Date().toISOString();
  app.core.db.exec('BEGIN');
  app.core.db
    .prepare(
      `WITH RECURSIVE seq(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM seq WHERE i < ?)
       INSERT INTO items (id, project_id, ord, content_hash, text, meta_json, created_at)
       SELECT printf('ITEM%022d', i), ?, i, randomblob(16), '第' || i || '条：我的快递到哪了？订单号 ' || (2024110000000000 + i), '{}', ? FROM seq`,
    )
    .run(n, projectId, now);
  app.core.db.prepare('UPDATE projects SET item_count = ? WHERE id = ?').run(n, projectId);
  app.core.db.exec('COMMIT');
}

test('a million items scroll by keyboard, with only the visible rows in the page', async ({}, testInfo) => {
  app = await launchApp({ language: 'en' });
  const created = await app.core.dispatch('projects.create', { name: 'million' });
  if (!created.ok) throw new Error(created.error.message);
  fillProject(app, (created.value as { id: string }).id, 1_000_000);
  const { page } = app;
  await page.reload();
  await page.getByRole('row', { name: /million/ }).focus();
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('item-count')).toHaveText('1,000,000 items');

  const table = page.getByTestId('item-table');
  await table.focus();
  await page.keyboard.press('End');
  await expect(page.getByText('第1000000条：我的快递到哪了？')).toBeVisible();
  expect(await page.getByRole('row').count()).toBeLessThan(60);
  await page.keyboard.press('PageUp');
  await page.keyboard.press('PageUp');
  await expect(table.locator('[aria-selected="true"]')).toContainText(/第9999\d\d条/);

  await page.keyboard.press('Home');
  await expect(page.getByText('第1条：我的快递到哪了？')).toBeVisible();
  // Jump into the middle by scrolling the list itself, as a mouse wheel or scrollbar drag would.
  await table.evaluate((el) => el.scrollTo({ top: el.scrollHeight / 2 }));
  await expect(table.getByText(/第5000\d\d条/).first()).toBeVisible();
  await page.screenshot({ path: testInfo.outputPath('million-items.png') });
});
