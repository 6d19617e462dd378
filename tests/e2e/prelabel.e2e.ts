import { test, expect } from '@playwright/test';
import { launchApp, type App } from './harness';

let app: App;
test.afterEach(async () => {
  await app?.close();
});

test('pre-label the demo with the local model, accept suggestions and see why, by keyboard', async ({}, testInfo) => {
  test.setTimeout(120_000);
  app = await launchApp({ demo: true });
  const { page } = app;
  await page.getByRole('row', { name: /演示/ }).focus();
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('model-state')).toContainText('就绪');
  await page.keyboard.press('Shift+P');
  await expect(page.getByTestId('prelabel-status')).toHaveAttribute('data-state', 'finished', { timeout: 60_000 });
  await expect(page.getByTestId('prelabel-status')).toContainText('intents@v1');
  await expect(page.getByTestId('review-plan')).toBeVisible();
  await page.screenshot({ path: testInfo.outputPath('prelabel-project.png') });

  await page.keyboard.press('l');
  await expect(page.getByTestId('span-text')).toBeVisible();
  const suggested = page.getByTestId('intent-panel').getByText('建议');
  await expect(suggested).toBeVisible();
  await page.keyboard.press('Control+e');
  await expect(page.getByTestId('explanation')).toBeVisible();
  await page.keyboard.press('+');
  await expect(page.getByTestId('intent-panel').locator('[aria-pressed="true"]')).toHaveCount(1);
  await page.screenshot({ path: testInfo.outputPath('labeling-suggestions-explained.png') });

  const events = app.core.db
    .prepare("SELECT source, kind FROM annotation_events e JOIN annotators a ON a.id = e.annotator_id WHERE a.name = '测试员'")
    .all();
  expect(events).toContainEqual({ source: 'accepted-suggestion', kind: 'intents' });

  // Reject a suggested span with '-': recorded in the core, so it stays gone after a reload.
  const suggestedSpans = page.getByTestId('span-text').locator('mark[data-kind="suggestion"][data-suggestion-label]');
  for (let i = 0; i < 40 && (await suggestedSpans.count()) === 0; i++) {
    const ord = await page.getByTestId('item-ord').textContent();
    await page.keyboard.press('PageDown');
    await expect(page.getByTestId('item-ord')).not.toHaveText(ord ?? '');
  }
  const before = await suggestedSpans.count();
  expect(before).toBeGreaterThan(0);
  const ord = await page.getByTestId('item-ord').textContent();
  await page.keyboard.press('Tab');
  await page.keyboard.press('-');
  await expect(suggestedSpans).toHaveCount(before - 1);
  await expect
    .poll(() => app.core.db.prepare("SELECT count(*) FROM suggestion_reviews WHERE decision = 'rejected'").pluck(true).get())
    .toBe(1);
  await page.reload();
  await page.getByRole('row', { name: /演示/ }).focus();
  await page.keyboard.press('Enter');
  await page.keyboard.press('l');
  await expect(page.getByTestId('span-text')).toBeVisible();
  for (let i = 0; i < 40 && (await page.getByTestId('item-ord').textContent()) !== ord; i++) {
    const shown = await page.getByTestId('item-ord').textContent();
    await page.keyboard.press('PageDown');
    await expect(page.getByTestId('item-ord')).not.toHaveText(shown ?? '');
  }
  await expect(page.getByTestId('item-ord')).toHaveText(ord ?? '');
  await expect(suggestedSpans).toHaveCount(before - 1);
});
