import { test, expect, type Page } from '@playwright/test';
import { createCore } from '../../electron/core';
import type { AnnotationState } from '../../shared/domain/annotation';
import { launchApp, type App } from './harness';

let app: App;
test.afterEach(async () => {
  await app?.close();
});

const INTENTS: [string, string][] = [
  ['1', '查询订单'],
  ['2', '物流进度'],
  ['3', '退换货'],
  ['4', '投诉'],
  ['5', '咨询活动'],
  ['6', '支付问题'],
  ['7', '账户问题'],
  ['0', '其他/转人工'],
];
const SENTIMENTS: [string, string][] = [
  ['z', '消极'],
  ['x', '中性'],
  ['c', '积极'],
];
const EMOJI = /\p{Extended_Pictographic}/u;
const graphemes = (text: string) => [...new Intl.Segmenter('zh', { granularity: 'grapheme' }).segment(text)].map((s) => s.segment);
const cpLength = (s: string) => [...s].length;

interface Expected {
  intents: string[];
  sentiment: string | null;
  entities: { start: number; end: number; label: string }[];
  status: 'submitted' | 'draft';
}

async function openLabeling(page: Page): Promise<void> {
  await page.getByRole('row', { name: /演示/ }).focus();
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('item-count')).toBeVisible();
  await page.keyboard.press('l');
  await expect(page.getByTestId('span-text')).toBeVisible();
}

async function shownItem(page: Page): Promise<{ ord: string; text: string }> {
  const ord = (await page.getByTestId('item-ord').textContent()) ?? '';
  const text = (await page.getByTestId('span-text').locator('[data-g]').allTextContents()).join('');
  return { ord, text };
}

async function press(page: Page, key: string, times = 1): Promise<void> {
  for (let i = 0; i < times; i++) await page.keyboard.press(key);
}

function annotationsOf(dbPath: string, annotator: string): Map<string, AnnotationState & { text: string }> {
  const core = createCore({ dbPath });
  try {
    const rows = core.db
      .prepare(
        `SELECT i.text, a.intents_json, a.entities_json, a.sentiment, a.status FROM annotations a
         JOIN annotators n ON n.id = a.annotator_id JOIN items i ON i.id = a.item_id WHERE n.name = ?`,
      )
      .all(annotator) as { text: string; intents_json: string; entities_json: string; sentiment: string | null; status: string }[];
    return new Map(
      rows.map((r) => [
        r.text,
        {
          text: r.text,
          intents: JSON.parse(r.intents_json),
          entities: JSON.parse(r.entities_json),
          sentiment: r.sentiment,
          status: r.status,
        } as AnnotationState & { text: string },
      ]),
    );
  } finally {
    core.close();
  }
}

test('label 50 demo items by keyboard only, undo three actions, and find exactly that in the database after a restart', async ({}, testInfo) => {
  test.setTimeout(180_000);
  app = await launchApp({ demo: true });
  const { page } = app;
  await openLabeling(page);

  const expected = new Map<string, Expected>();
  let spansMade = 0;
  let emojiItemsWithSpans = 0;
  let emojiBeforeSpan = false;
  for (let i = 0; i < 50; i++) {
    const { ord, text } = await shownItem(page);
    const [intentKey, intent] = INTENTS[i % INTENTS.length]!;
    const [sentimentKey, sentiment] = SENTIMENTS[i % SENTIMENTS.length]!;
    const entities: Expected['entities'] = [];
    await press(page, intentKey);

    // Two spans in texts with emoji (not in the last item, whose actions get undone): the first two
    // characters as 商品, and two characters next to the first emoji as 订单号 — after it where the
    // text goes on, so code-point and UTF-16 offsets differ.
    const g = graphemes(text);
    const e = g.findIndex((x) => EMOJI.test(x));
    const after = e + 3 <= g.length && !EMOJI.test(g[e + 1]!) && !EMOJI.test(g[e + 2]!);
    const second = after ? e + 1 : e - 2;
    if (i < 45 && emojiItemsWithSpans < 4 && e >= 0 && second >= 2) {
      await press(page, 'Home');
      await press(page, 'Shift+ArrowRight', 2);
      await press(page, 'p');
      const cp = (n: number) => cpLength(g.slice(0, n).join(''));
      entities.push({ start: 0, end: cp(2), label: '商品' });
      await press(page, 'Home');
      await press(page, 'ArrowRight', second);
      await press(page, 'Shift+ArrowRight', 2);
      await press(page, 'o');
      entities.push({ start: cp(second), end: cp(second + 2), label: '订单号' });
      if (after) emojiBeforeSpan = true;
      spansMade += 2;
      emojiItemsWithSpans++;
      await expect(page.locator('[data-span-label]')).toHaveCount(2);
      if (after) await page.screenshot({ path: testInfo.outputPath('labeling-spans-light.png') });
    }
    await press(page, sentimentKey);
    await expect(page.getByTestId('intent-panel').locator(`[data-intent="${intent}"]`)).toHaveAttribute('aria-pressed', 'true');
    await expect(page.getByTestId('sentiment-panel').locator(`[data-sentiment="${sentiment}"]`)).toHaveAttribute('aria-pressed', 'true');
    await press(page, 'Enter');
    await expect(page.getByTestId('item-ord')).not.toHaveText(ord);
    expected.set(text, { intents: [intent], sentiment, entities, status: 'submitted' });
  }
  expect(emojiItemsWithSpans).toBeGreaterThanOrEqual(2);
  expect(emojiBeforeSpan).toBe(true);
  expect(spansMade).toBeGreaterThanOrEqual(2);
  await expect(page.getByTestId('labeling-progress')).toHaveText('已完成 50 / 305');

  // Undo three actions: the last item's submit, sentiment and intent; the view goes back to it.
  const last = [...expected.keys()].at(-1)!;
  await press(page, 'Control+z', 3);
  await expect(page.getByTestId('labeling-progress')).toHaveText('已完成 49 / 305');
  await expect(page.getByTestId('intent-panel').locator('[aria-pressed="true"]')).toHaveCount(0);
  expect((await shownItem(page)).text).toBe(last);
  expected.set(last, { intents: [], sentiment: null, entities: [], status: 'draft' });
  await app.close({ keepData: true });

  // A new core over the same file: exactly the expected state, and the expected events.
  const stored = annotationsOf(app.dbPath, '测试员');
  expect(stored.size).toBe(50);
  for (const [text, want] of expected) expect(stored.get(text), text).toMatchObject({ ...want });
  const core = createCore({ dbPath: app.dbPath });
  try {
    const counts = Object.fromEntries(
      (
        core.db
          .prepare(
            `SELECT e.kind || CASE WHEN e.reverts_action_id IS NULL THEN '' ELSE ':revert' END AS k, count(*) AS n FROM annotation_events e
             JOIN annotators a ON a.id = e.annotator_id WHERE a.name = '测试员' GROUP BY k`,
          )
          .all() as { k: string; n: number }[]
      ).map((r) => [r.k, r.n]),
    );
    expect(counts).toEqual({
      intents: 50,
      sentiment: 50,
      status: 50,
      entities: spansMade,
      'intents:revert': 1,
      'sentiment:revert': 1,
      'status:revert': 1,
    });
    const sources = core.db
      .prepare("SELECT DISTINCT source FROM annotation_events e JOIN annotators a ON a.id = e.annotator_id WHERE a.name = '测试员'")
      .all();
    expect(sources).toEqual([{ source: 'manual' }]);
    // Undo history survives the restart: redo brings the intent back.
    const annotatorId = (core.db.prepare("SELECT id FROM annotators WHERE name = '测试员'").get() as { id: string }).id;
    const projectId = (core.db.prepare('SELECT id FROM projects').get() as { id: string }).id;
    const redone = await core.dispatch('labeling.redo', { projectId, annotatorId });
    expect(redone.ok && (redone.value as { annotation: AnnotationState }).annotation.intents).toEqual([INTENTS[49 % INTENTS.length]![1]]);
  } finally {
    core.close();
  }
});

test('kill -9 the core in the middle of a session: no acknowledged action is lost', async () => {
  test.setTimeout(120_000);
  app = await launchApp({ demo: true, coreProcess: true });
  const { page } = app;
  await openLabeling(page);
  const submitted: string[] = [];
  for (let i = 0; i < 12; i++) {
    const { ord, text } = await shownItem(page);
    await press(page, INTENTS[i % INTENTS.length]![0]);
    await press(page, 'Enter');
    await expect(page.getByTestId('item-ord')).not.toHaveText(ord);
    await expect(page.getByTestId('labeling-progress')).toHaveText(`已完成 ${i + 1} / 305`);
    submitted.push(text);
  }
  // One more decision, acknowledged on screen but not submitted, then the process dies.
  const { text: draft } = await shownItem(page);
  await press(page, '4');
  await expect(page.getByTestId('intent-panel').locator('[data-intent="投诉"]')).toHaveAttribute('aria-pressed', 'true');
  await app.host!.kill();

  const stored = annotationsOf(app.dbPath, '测试员');
  for (const [i, text] of submitted.entries())
    expect(stored.get(text), text).toMatchObject({ status: 'submitted', intents: [INTENTS[i % INTENTS.length]![1]] });
  expect(stored.get(draft)).toMatchObject({ status: 'draft', intents: ['投诉'] });

  // Start again: the session picks up where it stopped, with the draft decision still there.
  await app.host!.start();
  await page.reload();
  await openLabeling(page);
  await expect(page.getByTestId('labeling-progress')).toHaveText('已完成 12 / 305');
  expect((await shownItem(page)).text).toBe(draft);
  await expect(page.getByTestId('intent-panel').locator('[data-intent="投诉"]')).toHaveAttribute('aria-pressed', 'true');
});

test('the labeling view in the dark, in English, with the intent picker (pinyin initials)', async ({}, testInfo) => {
  app = await launchApp({ demo: true, colorScheme: 'dark', language: 'en' });
  const { page } = app;
  await page.getByRole('row', { name: /演示/ }).focus();
  await page.keyboard.press('Enter');
  await page.keyboard.press('l');
  await expect(page.getByTestId('span-text')).toBeVisible();
  await press(page, 'Shift+ArrowRight', 2);
  await press(page, 'p');
  await press(page, 'x');
  await page.screenshot({ path: testInfo.outputPath('labeling-dark-en.png') });
  await press(page, '/');
  await expect(page.getByRole('textbox', { name: /pinyin/ })).toBeFocused();
  await page.keyboard.type('ts');
  await expect(page.getByTestId('intent-picker').getByRole('option')).toHaveCount(1);
  await page.screenshot({ path: testInfo.outputPath('intent-picker-dark-en.png') });
  await press(page, 'Enter');
  await expect(page.getByTestId('intent-panel').locator('[data-intent="投诉"]')).toHaveAttribute('aria-pressed', 'true');
});

test('flag an item with a note, then walk the flagged queue', async () => {
  app = await launchApp({ demo: true });
  const { page } = app;
  await openLabeling(page);
  await press(page, 'PageDown');
  const { text, ord } = await shownItem(page);
  await press(page, '!');
  const note = page.getByRole('textbox', { name: '备注' });
  await expect(note).toBeFocused();
  await note.fill('意图不明确，请审核');
  await press(page, 'Control+Enter');
  await expect(page.getByText('意图不明确，请审核')).toBeVisible();
  await press(page, 'Enter');
  await expect(page.getByTestId('item-ord')).not.toHaveText(ord);

  await page.getByRole('combobox', { name: '队列' }).click();
  await page.getByRole('option', { name: '已标记' }).click();
  await expect(page.getByTestId('item-ord')).toHaveText(ord);
  expect((await shownItem(page)).text).toBe(text);
  await press(page, 'PageDown');
  await expect(page.getByText('这个队列已经标完了')).toBeVisible();
});
