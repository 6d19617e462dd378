import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test, expect, type Page } from '@playwright/test';
import type { AdjudicationField, AdjudicationItem, FieldValue } from '../../shared/contract/adjudication';
import { DEMO_FILE, launchApp, type App } from './harness';

let app: App;
test.afterEach(async () => {
  await app?.close();
});

/** The demo's team: their lines in the demo file carry these names. */
const TEAM = ['小王', '小李'];
const REVIEWER = '审核员小周';

type TeamApp = App & { projectId: string; reviewerId: string };

/**
 * The demo with its team's labels: the lines of the demo file that carry an annotator (two people
 * on 64 items, about half of them disagreeing). Imported on the test's own connection, as the
 * reports tests import theirs; with a demo seed that already has them it changes nothing.
 */
async function demoWithTeam(options: Parameters<typeof launchApp>[0] = {}): Promise<TeamApp> {
  const launched = await launchApp({ demo: true, annotator: REVIEWER, ...options });
  const project = launched.core.db.prepare('SELECT id FROM projects LIMIT 1').get() as { id: string };
  const lines = readFileSync(DEMO_FILE, 'utf8')
    .split('\n')
    .filter((l) => l.trim() && (JSON.parse(l) as { annotator?: string }).annotator);
  expect(lines.length).toBeGreaterThanOrEqual(80);
  const file = join(launched.dir, 'team.jsonl');
  writeFileSync(file, `${lines.join('\n')}\n`);
  const status = await launched.core.imports.run({ projectId: project.id, filePath: file, format: 'jsonl', onBadLines: 'abort' });
  expect(status.state).toBe('committed');
  return Object.assign(launched, { projectId: project.id, reviewerId: launched.annotatorId! });
}

async function ok<T>(app: App, channel: string, input: unknown): Promise<T> {
  const r = await app.core.dispatch(channel, input);
  if (!r.ok) throw new Error(`${channel}: ${r.error.code} ${r.error.message}`);
  return r.value as T;
}

const press = async (page: Page, key: string, times = 1) => {
  for (let i = 0; i < times; i++) await page.keyboard.press(key);
};

/** Page code as source text (whatever transpiles this file must not inject helpers into the page): records every pointer event from now on. */
const FORBID_POINTER = `(() => {
  const seen = (window.__pointer = []);
  for (const type of ['pointerdown', 'mousedown', 'touchstart', 'wheel']) addEventListener(type, (e) => e.isTrusted && seen.push(type), true);
})()`;

/** Wraps the bridge's transport: every answer the renderer receives from now on, as JSON text. */
const RECORD_IPC = `(() => {
  const invoke = window.__workstationInvoke;
  window.__ipc = [];
  window.__workstationInvoke = async (channel, input) => {
    const result = await invoke(channel, input);
    window.__ipc.push(JSON.stringify({ channel, input, result }));
    return result;
  };
})()`;

const valueKey = (v: FieldValue | undefined): string =>
  JSON.stringify(
    Array.isArray(v) ? [...v].map((s) => ({ start: s.start, end: s.end, label: s.label })).sort((a, b) => a.start - b.start || a.end - b.end) : v,
  );
const versionValue = (f: AdjudicationField, i: number): FieldValue | undefined => f.options.find((o) => o.versions.includes(i))?.value;

const card = (page: Page) => page.getByTestId('adjudication-item');
const shownItemId = async (page: Page) => (await card(page).getAttribute('data-item-id'))!;
const rows = (page: Page) => page.getByTestId('field-table').locator('tbody tr');

/** ↑/↓ to a field of the item shown. */
async function goToField(page: Page, field: string): Promise<void> {
  const keys = await Promise.all((await rows(page).all()).map((r) => r.getAttribute('data-field')));
  const current = await page.getByTestId('field-table').locator('tbody tr[data-current]').getAttribute('data-field');
  const by = keys.indexOf(field) - keys.indexOf(current);
  await press(page, by > 0 ? 'ArrowDown' : 'ArrowUp', Math.abs(by));
  await expect(page.getByTestId('field-table').locator('tbody tr[data-current]')).toHaveAttribute('data-field', field);
}

/** From the project list (its only project selected), into the adjudication view by keyboard: Enter, A (the queue), S (start). */
async function openAdjudication(page: Page): Promise<void> {
  await expect(page.getByRole('row', { name: /演示|Demo/ })).toBeFocused();
  await press(page, 'Enter');
  await expect(page.getByTestId('open-adjudication')).toBeVisible();
  await press(page, 'a');
  await expect(page.getByTestId('adjudication-queue-table').locator('tbody tr[data-selected]')).toBeFocused({ timeout: 30_000 });
  await press(page, 's');
  await expect(card(page)).toBeVisible({ timeout: 30_000 });
  await expect(card(page)).toBeFocused();
}

interface Expected {
  values: Record<string, string>;
  reasons: Record<string, string>;
}

test('a reviewer gets the role and resolves 30 demo items by keyboard alone: versions, pre-fill, a rejected cluster, a reason, an undo', async ({}, testInfo) => {
  test.setTimeout(240_000);
  app = await demoWithTeam();
  const a = app as TeamApp;
  const { page } = a;
  await expect(page.getByRole('row', { name: /演示/ })).toBeFocused();
  await page.evaluate(FORBID_POINTER);

  // The reviewer role, given in the profiles UI (the palette's "edit profile roles"): no entry point before it.
  await press(page, 'Enter');
  await expect(page.getByTestId('project-title')).toBeVisible();
  await expect(page.getByTestId('open-adjudication')).toHaveCount(0);
  await press(page, 'Control+k');
  // On a loaded machine the palette can open after the first keys: type once it has the focus.
  await expect(page.getByRole('textbox', { name: '命令面板' })).toBeFocused();
  await page.keyboard.type('档案角色');
  await press(page, 'Enter');
  const roles = page.getByTestId('roles-modal');
  await expect(roles.locator('input[type="checkbox"][value="annotator"]')).toBeFocused();
  await press(page, 'Tab');
  await expect(roles.locator('input[type="checkbox"][value="reviewer"]')).toBeFocused();
  await press(page, 'Space');
  await page.screenshot({ path: testInfo.outputPath('adjudication-roles-light.png') });
  await press(page, 'Control+Enter');
  await expect(page.getByRole('dialog')).toHaveCount(0);
  const stored = a.core.db.prepare('SELECT roles_json FROM annotators WHERE id = ?').get(a.reviewerId) as { roles_json: string };
  expect(JSON.parse(stored.roles_json)).toEqual(['annotator', 'reviewer']);
  await expect(page.getByTestId('open-adjudication')).toBeVisible();
  // The profiles show the role (E there edits it too); Enter takes the profile back.
  await press(page, 'Control+k');
  await page.keyboard.type('切换标注员');
  await press(page, 'Enter');
  const profile = page.getByRole('option', { name: new RegExp(REVIEWER) });
  await expect(profile).toBeFocused();
  await expect(profile.locator('[data-role="reviewer"]')).toBeVisible();
  await page.screenshot({ path: testInfo.outputPath('adjudication-profiles-light.png') });
  await press(page, 'Enter');
  await expect(page.getByTestId('open-adjudication')).toBeVisible();
  await press(page, 'Escape');

  await openAdjudication(page);
  await expect(page.getByTestId('blind-badge')).toBeVisible();
  const counts = page.getByTestId('adjudication-counts');
  await expect(counts.locator('[data-count="disputed"]')).toHaveText('64');

  const expected = new Map<string, Expected>();
  let override = false;
  let rejected = false;
  let undone = false;
  for (let k = 0; k < 30; k++) {
    const itemId = await shownItemId(page);
    const item = await ok<AdjudicationItem>(a, 'adjudication.item', { projectId: a.projectId, reviewerId: a.reviewerId, itemId });
    const plan: Expected = { values: {}, reasons: {} };
    let needsReason = false;
    for (const f of item.fields) {
      const entityAgreed = f.task === 'entities' && Array.isArray(f.majority) && f.majority.length > 0;
      const entitySplit = f.task === 'entities' && f.majority === undefined;
      if (!override && entityAgreed) {
        // Against the majority: both versions marked it, the reviewer rejects it (a reason is required).
        await goToField(page, f.field);
        await press(page, 'x');
        plan.values[f.field] = valueKey([]);
        plan.reasons[f.field] = 'annotator-error';
        needsReason = true;
        override = true;
      } else if (!rejected && entitySplit) {
        await goToField(page, f.field);
        await press(page, 'x');
        plan.values[f.field] = valueKey([]);
        rejected = true;
      } else if (f.prefill === undefined) {
        // A split vote: take version A or B, in turn.
        const version = k % 2;
        await goToField(page, f.field);
        await press(page, String(version + 1));
        plan.values[f.field] = valueKey(versionValue(f, version));
      } else if (k % 7 === 3 && f.agreement < 1) {
        await goToField(page, f.field);
        await press(page, 'p');
        plan.values[f.field] = valueKey(f.prefill);
      } else plan.values[f.field] = valueKey(f.prefill);
    }
    for (const [field, value] of Object.entries(plan.values)) {
      await expect(page.locator(`[data-testid="field-table"] tr[data-field="${field}"] [data-decision]`)).toBeVisible();
      expect(value).not.toBe('undefined');
    }
    await press(page, 'Enter');
    if (needsReason) {
      // Refused with a visible message, and the reasons open; 2 = annotator error.
      await expect(page.getByTestId('adjudication-notice')).toHaveAttribute('data-kind', 'reasonNeeded');
      await expect(page.getByTestId('reason-list')).toBeFocused();
      expect(await shownItemId(page)).toBe(itemId);
      await page.screenshot({ path: testInfo.outputPath('adjudication-reason-light.png') });
      await press(page, '2');
      await expect(page.getByRole('dialog')).toHaveCount(0);
      await expect(page.getByTestId('reason-chosen')).toBeVisible();
      await press(page, 'Enter');
    }
    await expect.poll(() => shownItemId(page), { timeout: 15_000 }).not.toBe(itemId);
    expected.set(itemId, plan);

    if (k === 4 && !undone) {
      // Ctrl+Z: the last commit is withdrawn and its item is back, to decide again (the other version this time).
      await press(page, 'Control+z');
      await expect(page.getByTestId('adjudication-notice')).toHaveAttribute('data-kind', 'undone');
      await expect.poll(() => shownItemId(page)).toBe(itemId);
      const again = item.fields.find((f) => f.prefill === undefined);
      if (again) {
        await goToField(page, again.field);
        await press(page, String(2 - (k % 2)));
        plan.values[again.field] = valueKey(versionValue(again, 1 - (k % 2)));
      }
      await press(page, 'Enter');
      await expect.poll(() => shownItemId(page)).not.toBe(itemId);
      undone = true;
    }
    if (k === 1) {
      await press(page, 'g');
      await expect(page.getByTestId('adjudication-guideline')).toBeVisible();
      await page.screenshot({ path: testInfo.outputPath('adjudication-view-light.png') });
      await press(page, 'g');
    }
  }
  expect(override && rejected && undone).toBe(true);
  await expect(counts.locator('[data-count="human"]')).toHaveText('30');
  await expect(page.getByTestId('adjudication-session')).toContainText('30');

  // In the database: 30 items decided by a person, each field as chosen, the reason on the override, the undo's withdrawals.
  const human = a.core.db.prepare("SELECT item_id FROM adjudication_items WHERE project_id = ? AND state = 'human'").pluck().all(a.projectId) as string[];
  expect(new Set(human)).toEqual(new Set(expected.keys()));
  for (const [itemId, plan] of expected) {
    const item = await ok<AdjudicationItem>(a, 'adjudication.item', { projectId: a.projectId, reviewerId: a.reviewerId, itemId });
    expect(item.state).toBe('human');
    for (const f of item.fields) {
      expect(f.decided, `${itemId} ${f.field}`).not.toBeNull();
      expect(valueKey(f.decided!.value), `${itemId} ${f.field}`).toBe(plan.values[f.field]);
      expect(f.decided!.source).toBe('adjudication');
      expect(f.decided!.reasonCode ?? undefined).toBe(plan.reasons[f.field]);
    }
  }
  const withdrawals = a.core.db.prepare('SELECT count(*) FROM adjudication_events WHERE project_id = ? AND withdraws IS NOT NULL').pluck().get(a.projectId);
  expect(withdrawals).toBeGreaterThan(0);
  expect(await page.evaluate<string[]>('window.__pointer')).toEqual([]);
});

test('blind mode: no annotator name or id of the versions reaches the renderer, in any payload or in the page', async ({}, testInfo) => {
  test.setTimeout(180_000);
  app = await demoWithTeam();
  const a = app as TeamApp;
  const { page } = a;
  await ok(a, 'annotators.setRoles', { annotatorId: a.reviewerId, roles: ['annotator', 'reviewer'] });
  // A guideline for the panel (G) to show.
  await ok(a, 'guidelines.save', { projectId: a.projectId, authorId: a.reviewerId, markdown: GUIDELINE });
  await page.reload();
  await expect(page.getByRole('row', { name: /演示/ })).toBeFocused();
  await page.evaluate(RECORD_IPC);

  await openAdjudication(page);
  const team = a.core.db.prepare(`SELECT id, name FROM annotators WHERE name IN (${TEAM.map(() => '?').join(',')})`).all(...TEAM) as { id: string; name: string }[];
  expect(team.map((t) => t.name).sort()).toEqual([...TEAM].sort());
  // A session: five items decided, the guideline, the queue with its filters, automatic resolution's dry run.
  for (let k = 0; k < 5; k++) {
    const itemId = await shownItemId(page);
    for (const r of await rows(page).all()) {
      const field = (await r.getAttribute('data-field'))!;
      if ((await r.locator('[data-undecided]').count()) === 0) continue;
      await goToField(page, field);
      await press(page, '1');
    }
    if (k === 2) {
      await press(page, 'g');
      await expect(page.getByTestId('adjudication-guideline')).toBeVisible();
    }
    await press(page, 'Enter');
    await expect.poll(() => shownItemId(page)).not.toBe(itemId);
  }
  await press(page, 'k');
  await press(page, 'j');
  await press(page, 'a');
  await expect(page.getByTestId('auto-dry')).toBeFocused();
  await press(page, 'Enter');
  await expect(page.getByTestId('auto-dry-run')).toBeVisible({ timeout: 30_000 });
  await press(page, 'Escape');
  await press(page, 'q');
  await expect(page.getByTestId('adjudication-queue-table')).toBeVisible();

  const payloads = await page.evaluate<string[]>('window.__ipc');
  const channels = new Set(payloads.map((p) => (JSON.parse(p) as { channel: string }).channel));
  for (const c of ['adjudication.queue', 'adjudication.next', 'adjudication.item', 'adjudication.commit', 'adjudication.settings', 'guidelines.get', 'adjudication.auto']) {
    expect(channels, c).toContain(c);
  }
  const html = await page.content();
  for (const { id, name } of team) {
    for (const p of payloads) {
      expect(p, `a payload holds ${name}`).not.toContain(name);
      expect(p, `a payload holds ${name}'s id`).not.toContain(id);
    }
    expect(html).not.toContain(name);
    expect(html).not.toContain(id);
  }
  await page.screenshot({ path: testInfo.outputPath('adjudication-queue-light.png') });

  // The check would see them: outside blind mode the names are there.
  const settings = await ok<{ blind: boolean }>(a, 'adjudication.settings', { projectId: a.projectId });
  await ok(a, 'adjudication.saveSettings', { projectId: a.projectId, actorId: a.reviewerId, settings: { ...settings, blind: false } });
  await press(page, 's');
  await expect(card(page)).toBeVisible();
  await expect(page.getByTestId('version-legend')).toContainText(TEAM[0]!);
  expect(await page.content()).toContain(TEAM[1]!);
  await page.screenshot({ path: testInfo.outputPath('adjudication-not-blind-light.png') });
});

const GUIDELINE = `# 标注规范 / Labeling guideline

## 1 意图 / Intents

### 1.1 查询订单
- 定义：询问订单状态、详情或是否下单成功。
- **不包括**：问快递到哪了（归入 1.2 物流进度）。

### 1.2 物流进度
- 定义：发货、快递位置、何时送达。
- 正例：“快递还没发出的话能改地址吗”。

### 1.3 退换货
- 定义：退货、换货、退款，或询问售后流程。
- 与 1.4 投诉的区别：只要求退换、没有表达不满时归入退换货。

### 1.4 投诉
- 定义：对商品、服务或物流**表达不满并要求处理**。
- 反例：只问怎么退货，不算投诉。

### 1.5 咨询活动
- 优惠、满减、优惠券、大促活动规则。

### 1.8 其他/转人工
- 以上都不是，或要求人工客服。

## 2 实体 / Entities

### 2.2 日期
- 包括“双十一”“黑五”这类节日名称。
- 边界：不含“的”“号以后”。

### 2.3 商品
- 商品名，不含数量词：“两盒月饼”只标“月饼”。

### 2.4 金额
- 含货币符号与单位：“¥89”“583元”。

## 3 情感 / Sentiment

### 3.1 消极
- 抱怨、不满、着急。

### 3.2 中性
- 单纯提问或陈述。

### 3.3 积极
- 感谢、满意、表情 😊👍。
`;

test('the views in English and dark, and in Chinese and dark', async ({}, testInfo) => {
  test.setTimeout(180_000);
  for (const [language, scheme] of [
    ['en', 'dark'],
    ['zh-CN', 'dark'],
    ['en', 'light'],
  ] as const) {
    app = await demoWithTeam({ language, colorScheme: scheme });
    const a = app as TeamApp;
    const { page } = a;
    await ok(a, 'annotators.setRoles', { annotatorId: a.reviewerId, roles: ['annotator', 'reviewer'] });
    await ok(a, 'guidelines.save', { projectId: a.projectId, authorId: a.reviewerId, markdown: GUIDELINE });
    await page.reload();
    const tag = `${language}-${scheme}`;
    await expect(page.getByRole('row', { name: /演示/ })).toBeFocused();
    await press(page, 'Enter');
    await expect(page.getByTestId('open-adjudication')).toBeVisible();
    await press(page, 'a');
    await expect(page.getByTestId('adjudication-queue-table')).toBeVisible({ timeout: 30_000 });
    await page.screenshot({ path: testInfo.outputPath(`adjudication-queue-${tag}.png`) });
    // The second item of the queue has span clusters; the guideline beside it.
    await press(page, 'ArrowDown');
    await press(page, 'Enter');
    await expect(card(page)).toBeVisible();
    const entity = page.getByTestId('field-table').locator('tbody tr[data-field^="entities:"]').first();
    await goToField(page, (await entity.getAttribute('data-field'))!);
    await press(page, 'g');
    await expect(page.getByTestId('adjudication-guideline')).toContainText(/日期|商品/);
    await page.screenshot({ path: testInfo.outputPath(`adjudication-view-${tag}.png`) });
    await press(page, 'e');
    await expect(page.getByTestId('span-editing')).toBeVisible();
    await press(page, 'Shift+ArrowRight', 2);
    await page.screenshot({ path: testInfo.outputPath(`adjudication-edit-${tag}.png`) });
    await press(page, 'Escape');
    await press(page, 'Escape');
    await expect(page.getByTestId('span-editing')).toHaveCount(0);
    await press(page, 'a');
    await expect(page.getByTestId('auto-dry')).toBeFocused();
    await press(page, 'Enter');
    await expect(page.getByTestId('auto-dry-run')).toBeVisible({ timeout: 30_000 });
    await page.screenshot({ path: testInfo.outputPath(`adjudication-auto-${tag}.png`) });
    await press(page, 'Tab');
    await expect(page.getByTestId('auto-apply')).toBeFocused();
    await press(page, 'Enter');
    await expect(page.getByTestId('auto-applied')).toBeVisible({ timeout: 30_000 });
    await expect(page.getByTestId('auto-close')).toBeFocused();
    await press(page, 'Enter');
    await expect(page.getByTestId('adjudication-counts').locator('[data-count="auto"]')).not.toHaveText('0');
    await a.close();
  }
});
