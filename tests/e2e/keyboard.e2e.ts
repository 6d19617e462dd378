import path from 'node:path';
import { test, expect, type Page } from '@playwright/test';
import { launchApp, type App } from './harness';

const TEAM = path.resolve(__dirname, '..', 'fixtures', 'multi-annotator', 'team.jsonl');

let app: App;
test.afterEach(async () => {
  await app?.close();
});

/** What has focus, as much as the assertions need: the element and, for a list that points at a row, that row. */
interface Focus {
  tag: string;
  role: string | null;
  testid: string | null;
  name: string | null;
  selected: string | null;
  project: string | null;
  ord: string | null;
  annotator: string | null;
  /** aria-activedescendant: the row the focused list points at. */
  row: { index: string | null; selected: string | null } | null;
}

/**
 * Page code as source text, as the harness has it: whatever transpiles this file must not inject
 * helpers into code that runs in the page (and this file is typed without the DOM).
 */
const FOCUS_OF = `(() => {
  const el = document.activeElement;
  const descendant = el && el.getAttribute('aria-activedescendant');
  const row = descendant ? document.getElementById(descendant) : null;
  const labelledBy = el && el.getAttribute('aria-labelledby');
  const label = el && el.labels && el.labels[0];
  return {
    tag: el && el !== document.body ? el.tagName.toLowerCase() : 'body',
    role: el ? el.getAttribute('role') : null,
    testid: el ? el.getAttribute('data-testid') : null,
    name:
      (el && el.getAttribute('aria-label')) ??
      (label ? label.textContent : null) ??
      (labelledBy ? document.getElementById(labelledBy)?.textContent ?? null : null) ??
      ((el && el.textContent.trim()) || null),
    selected: el ? el.getAttribute('aria-selected') : null,
    project: el ? el.getAttribute('data-project-name') : null,
    ord: el ? el.getAttribute('data-ord') : null,
    annotator: el ? el.getAttribute('data-annotator') : null,
    row: row ? { index: row.getAttribute('aria-rowindex'), selected: row.getAttribute('aria-selected') } : null,
  };
})()`;

const focusOf = (page: Page) => page.evaluate<Focus>(FOCUS_OF);

/** Waits until focus is where expected (the app moves it after its data arrives). */
async function expectFocus(page: Page, expected: Partial<Focus>): Promise<void> {
  await expect.poll(() => focusOf(page), { timeout: 15_000 }).toMatchObject(expected);
}

/** Records every pointer event and every Tab key from now on: the walk must need neither. */
const FORBID_POINTER_AND_TAB = `(() => {
  const seen = (window.__forbidden = []);
  for (const type of ['pointerdown', 'mousedown', 'touchstart', 'wheel']) addEventListener(type, (e) => e.isTrusted && seen.push(type), true);
  addEventListener('keydown', (e) => e.key === 'Tab' && seen.push('Tab'), true);
})()`;
const forbidPointerAndTab = (page: Page) => page.evaluate(FORBID_POINTER_AND_TAB);
const forbidden = (page: Page) => page.evaluate<string[]>('window.__forbidden');

const press = async (page: Page, key: string, times = 1) => {
  for (let i = 0; i < times; i++) await page.keyboard.press(key);
};

/** From the report's tab list, ↓ twice: its table's first, then second row selected with focus. Returns the second row's key. */
async function intoTable(page: Page, table: string, key: 'ord' | 'annotator'): Promise<string> {
  const rows = page.getByTestId(table).locator('tbody tr');
  for (const at of [0, 1]) {
    await press(page, 'ArrowDown');
    await expectFocus(page, { tag: 'tr', [key]: await rows.nth(at).getAttribute(`data-${key}`), selected: 'true' });
  }
  return (await rows.nth(1).getAttribute(`data-${key}`))!;
}

/** Esc twice: the project, on the item row left from, then the project list on the project; and no pointer or Tab was needed. */
async function backOut(page: Page, itemRow: string): Promise<void> {
  await press(page, 'Escape');
  await expectFocus(page, { testid: 'item-table', row: { index: itemRow, selected: 'true' } });
  await press(page, 'Escape');
  await expectFocus(page, { tag: 'tr', project: '演示：电商客服', selected: 'true' });
  expect(await forbidden(page)).toEqual([]);
}

test('first start to the quality report by keyboard alone: focus is where the keys work at every step', async ({}, testInfo) => {
  test.setTimeout(120_000);
  app = await launchApp({ demo: true, annotator: null });
  const { page } = app;
  await forbidPointerAndTab(page);

  // No profile yet: the name field has focus.
  await expectFocus(page, { tag: 'input', name: '新建档案' });
  await page.screenshot({ path: testInfo.outputPath('keyboard-1-first-start-light.png') });
  await page.keyboard.type('王小明');
  await press(page, 'Enter');

  // The project list: its only project selected, with focus.
  await expectFocus(page, { tag: 'tr', project: '演示：电商客服', selected: 'true' });
  await expect(page.getByTestId('current-annotator')).toHaveText('王小明');
  await press(page, 'ArrowDown'); // nowhere further to go: stays
  await expectFocus(page, { tag: 'tr', project: '演示：电商客服', selected: 'true' });
  await page.screenshot({ path: testInfo.outputPath('keyboard-2-projects-light.png') });
  await press(page, 'Enter');

  // The project: the item table has focus with its first row selected; ↓ moves, Enter opens, Esc comes back.
  await expect(page.getByTestId('project-title')).toHaveText('演示：电商客服');
  await expectFocus(page, { testid: 'item-table', role: 'grid', row: { index: '1', selected: 'true' } });
  await press(page, 'ArrowDown', 3);
  await expectFocus(page, { testid: 'item-table', row: { index: '4', selected: 'true' } });
  await page.screenshot({ path: testInfo.outputPath('keyboard-3-items-light.png') });
  await press(page, 'Enter');
  await expect(page.getByTestId('item-detail')).toBeVisible();
  await press(page, 'Escape');
  await expect(page.getByTestId('item-detail')).toBeHidden();
  await expectFocus(page, { testid: 'item-table', row: { index: '4', selected: 'true' } });

  // Labeling: the item card has focus; an intent, a sentiment, Enter submits and the next item comes.
  await press(page, 'l');
  await expect(page.getByTestId('span-text')).toBeVisible();
  await expectFocus(page, { testid: 'item-card', role: 'region' });
  const first = await page.getByTestId('item-ord').textContent();
  await press(page, '1');
  await press(page, 'x');
  await expect(page.getByTestId('intent-panel').locator('[data-intent="查询订单"]')).toHaveAttribute('aria-pressed', 'true');
  await expect(page.getByTestId('sentiment-panel').locator('[data-sentiment="中性"]')).toHaveAttribute('aria-pressed', 'true');
  await page.screenshot({ path: testInfo.outputPath('keyboard-4-labeling-light.png') });
  await press(page, 'Enter');
  await expect(page.getByTestId('item-ord')).not.toHaveText(first!);
  await expect(page.getByTestId('labeling-progress')).toHaveText('已完成 1 / 305');
  await expectFocus(page, { testid: 'item-card' });

  // Esc: back in the project, on the row left from.
  await press(page, 'Escape');
  await expect(page.getByTestId('project-title')).toBeVisible();
  await expectFocus(page, { testid: 'item-table', row: { index: '4', selected: 'true' } });

  // The quality report: focus on its tabs.
  await press(page, 'r');
  await expect(page.getByTestId('report')).toBeVisible({ timeout: 30_000 });
  await expectFocus(page, { role: 'tab', selected: 'true', name: '总览' });
  await page.screenshot({ path: testInfo.outputPath('keyboard-5-report-light.png') });
  // Mantine's tab keys; ↓ enters the tab's table with its first row selected; ↑ comes back.
  await press(page, 'ArrowRight');
  await expectFocus(page, { role: 'tab', selected: 'true', name: '按标签' });
  await press(page, 'ArrowDown');
  await expectFocus(page, { tag: 'tr', selected: 'true' });
  await page.screenshot({ path: testInfo.outputPath('keyboard-6-report-labels-light.png') });
  await press(page, 'ArrowUp');
  await expectFocus(page, { role: 'tab', name: '按标签' });

  await backOut(page, '4');
});

test('the report tables by keyboard, in the dark and in English: into a disagreement and back to its row', async ({}, testInfo) => {
  test.setTimeout(120_000);
  app = await launchApp({ demo: true, colorScheme: 'dark', language: 'en' });
  const project = app.core.db.prepare('SELECT id FROM projects LIMIT 1').get() as { id: string };
  const status = await app.core.imports.run({ projectId: project.id, filePath: TEAM, format: 'jsonl', onBadLines: 'abort' });
  expect(status.state).toBe('committed');
  const { page } = app;
  await page.reload();
  await forbidPointerAndTab(page);

  await expectFocus(page, { tag: 'tr', project: '演示：电商客服', selected: 'true' });
  await page.screenshot({ path: testInfo.outputPath('keyboard-projects-dark-en.png') });
  await press(page, 'Enter');
  await expectFocus(page, { testid: 'item-table', row: { index: '1', selected: 'true' } });
  await press(page, 'ArrowDown', 2);
  await expectFocus(page, { testid: 'item-table', row: { index: '3', selected: 'true' } });
  await page.screenshot({ path: testInfo.outputPath('keyboard-items-dark-en.png') });

  await press(page, 'r');
  await expect(page.getByTestId('report')).toBeVisible({ timeout: 30_000 });
  await expectFocus(page, { role: 'tab', selected: 'true', name: 'Overview' });
  await press(page, 'ArrowRight', 3);
  await expectFocus(page, { role: 'tab', selected: 'true', name: 'Disagreements' });
  const secondOrd = await intoTable(page, 'disagreement-table', 'ord');
  await page.screenshot({ path: testInfo.outputPath('keyboard-disagreements-dark-en.png') });

  // Enter opens the queue at that item; Esc comes back to the report, the same tab and row.
  await press(page, 'Enter');
  await expect(page.getByTestId('item-ord')).toHaveText(`#${secondOrd}`);
  await expectFocus(page, { testid: 'item-card' });
  await press(page, 'Escape');
  await expect(page.getByTestId('disagreement-table')).toBeVisible({ timeout: 30_000 });
  await expectFocus(page, { tag: 'tr', ord: secondOrd, selected: 'true' });

  // The annotators: the details follow the selected row.
  await press(page, 'ArrowUp', 2);
  await expectFocus(page, { role: 'tab', name: 'Disagreements' });
  await press(page, 'ArrowRight');
  const secondPerson = await intoTable(page, 'annotator-table', 'annotator');
  await expect(page.getByTestId('annotator-detail')).toHaveAttribute('data-annotator', secondPerson);
  await page.screenshot({ path: testInfo.outputPath('keyboard-annotators-dark-en.png') });

  await backOut(page, '3');
});

test('a write that fails stops the keys behind it and says so; the alert’s own key retries', async ({}, testInfo) => {
  test.setTimeout(120_000);
  app = await launchApp({ demo: true });
  const { page } = app;
  await expectFocus(page, { tag: 'tr', project: '演示：电商客服' });
  await press(page, 'Enter');
  await expectFocus(page, { testid: 'item-table' });
  await press(page, 'l');
  await expectFocus(page, { testid: 'item-card' });
  const first = await page.getByTestId('item-ord').textContent();

  // Another program holds the database: the intent cannot be written. Enter, typed right behind it, must not submit.
  app.core.db.exec('BEGIN EXCLUSIVE');
  await press(page, '1');
  await press(page, 'Enter');
  const alert = page.getByTestId('labeling-halted');
  await expect(alert).toBeVisible({ timeout: 30_000 });
  await expect(alert).toContainText('已丢弃之后按下的 1 个键');
  await expectFocus(page, { tag: 'button', name: '重试Enter' });
  await expect(page.getByTestId('labeling-not-saved')).toHaveText('未保存');
  await page.screenshot({ path: testInfo.outputPath('keyboard-write-failed-light.png') });
  app.core.db.exec('ROLLBACK');
  await expect(page.getByTestId('item-ord')).toHaveText(first!);

  await press(page, 'Enter');
  await expect(alert).toBeHidden();
  await expect(page.getByTestId('intent-panel').locator('[data-intent="查询订单"]')).toHaveAttribute('aria-pressed', 'true');
  await expectFocus(page, { testid: 'item-card' });
  await expect(page.getByTestId('labeling-progress')).toHaveText('已完成 0 / 305');
  await press(page, 'Enter');
  await expect(page.getByTestId('item-ord')).not.toHaveText(first!);
  await expect(page.getByTestId('labeling-progress')).toHaveText('已完成 1 / 305');
});
