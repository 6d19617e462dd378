import { test, expect, type Page } from '@playwright/test';
import { launchApp, type App } from './harness';

let app: App;
test.afterEach(async () => {
  await app?.close();
});

async function ok<T>(app: App, channel: string, input: unknown): Promise<T> {
  const result = await app.core.dispatch(channel, input);
  if (!result.ok) throw new Error(`${channel}: ${JSON.stringify(result.error)}`);
  return result.value as T;
}

/** Chooses a profile on the profile picker (the header's name button leads there). */
async function switchTo(page: Page, name: string): Promise<void> {
  await page.getByTestId('current-annotator').click();
  await page.getByRole('option', { name }).click();
  await expect(page.getByTestId('current-annotator')).toHaveText(name);
}

/** From wherever the app is: home (the title in the header), then the demo project. */
async function openProject(page: Page): Promise<void> {
  await page.getByRole('button', { name: /标注工作站|Annotation Workstation/ }).click();
  await page.getByRole('row', { name: /演示|Demo/ }).focus();
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('project-title')).toBeVisible();
}

test('a lead writes the guideline from the template, an annotator reads a section by key, re-check after v2, feedback on an override', async ({}, testInfo) => {
  test.setTimeout(180_000);
  app = await launchApp({ demo: true, annotator: '王组长' });
  const { page } = app;
  const leadId = app.annotatorId!;
  await ok(app, 'annotators.setRoles', { annotatorId: leadId, roles: ['annotator', 'lead', 'reviewer'] });
  const annotator = await ok<{ id: string }>(app, 'annotators.create', { name: '小赵' });
  const project = app.core.db.prepare('SELECT id FROM projects LIMIT 1').get() as { id: string };
  // The picker lists the profiles the app read when it started.
  await page.reload();

  // The lead: G on the project opens the guideline; T starts from the template; Ctrl+S saves v1.
  await openProject(page);
  await expect(page.getByTestId('open-guideline')).toBeVisible();
  await page.screenshot({ path: testInfo.outputPath('project-links-zh.png') });
  await page.keyboard.press('g');
  await expect(page.getByTestId('guideline-page')).toBeVisible();
  await expect(page.getByTestId('guideline-version')).toHaveText('尚未保存');
  await page.keyboard.press('t');
  const editor = page.getByTestId('guideline-editor');
  await expect(editor).toBeFocused();
  const template = await editor.inputValue();
  expect(template).toContain('### 1.1 查询订单');
  expect(template).toContain('### 2.1 订单号');
  await expect(page.getByTestId('guideline-missing')).toHaveCount(0);
  await editor.fill(
    template
      .replace('### 1.1 查询订单\n\n- 定义 / Definition:', '### 1.1 查询订单\n\n- 定义 / Definition: 客户想知道订单的状态或详情')
      .replace('### 1.2 物流进度\n\n- 定义 / Definition:', '### 1.2 物流进度\n\n- 定义 / Definition: 客户问快递到哪了、何时送达'),
  );
  await expect(page.getByTestId('guideline-dirty')).toBeVisible();
  await expect(page.getByTestId('guideline-preview')).toContainText('客户想知道订单的状态或详情');
  await page.keyboard.press('ControlOrMeta+s');
  await expect(page.getByTestId('guideline-version')).toHaveText('第 1 版');
  await expect(page.getByTestId('guideline-dirty')).toHaveCount(0);
  await page.screenshot({ path: testInfo.outputPath('guideline-editor-zh.png') });
  // Esc leaves the editor, the next Esc goes back to the project.
  await page.keyboard.press('Escape');
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('project-title')).toBeVisible();

  // The annotator: 1 chooses 查询订单, G opens its section with the guideline version, Esc closes it.
  await switchTo(page, '小赵');
  await openProject(page);
  await page.keyboard.press('l');
  await expect(page.getByTestId('span-text')).toBeVisible();
  const labeled: string[] = [];
  labeled.push((await page.getByTestId('item-ord').textContent())!.replace(/\D/g, ''));
  await page.keyboard.press('1');
  await expect(page.locator('[data-intent="查询订单"][aria-pressed="true"]')).toBeVisible();
  await page.keyboard.press('g');
  const panel = page.getByTestId('guideline-panel');
  await expect(panel).toBeVisible();
  await expect(page.getByTestId('guideline-panel-version')).toHaveText('第 1 版');
  await expect(page.getByTestId('guideline-panel-section')).toContainText('1.1 查询订单');
  await expect(page.getByTestId('guideline-panel-section')).toContainText('客户想知道订单的状态或详情');
  await expect(page.getByTestId('guideline-panel-section')).not.toContainText('物流进度');
  await page.screenshot({ path: testInfo.outputPath('labeling-guideline-panel-zh.png') });
  // The panel follows the selection: another intent, its section.
  await page.keyboard.press('2');
  await expect(page.getByTestId('guideline-panel-section')).toContainText('客户问快递到哪了');
  await page.keyboard.press('Escape');
  await expect(panel).toHaveCount(0);
  await expect(page.getByTestId('labeling-view')).toBeVisible();
  await page.keyboard.press('1');
  await expect(page.locator('[data-intent="查询订单"][aria-pressed="true"]')).toBeVisible();
  await page.keyboard.press('Enter');
  for (let i = 0; i < 2; i++) {
    await expect(page.getByTestId('item-ord')).not.toHaveText(`#${labeled.at(-1)}`);
    labeled.push((await page.getByTestId('item-ord').textContent())!.replace(/\D/g, ''));
    await page.keyboard.press('2');
    await page.keyboard.press('Enter');
  }
  await expect(page.getByTestId('item-ord')).not.toHaveText(`#${labeled.at(-1)}`);
  const first = app.core.db
    .prepare(`SELECT a.item_id FROM annotations a JOIN items i ON i.id = a.item_id WHERE a.annotator_id = ? AND i.ord = ? AND a.status = 'submitted'`)
    .get(annotator.id, Number(labeled[0])) as { item_id: string };
  const versions = app.core.db
    .prepare(`SELECT DISTINCT guideline_version AS v FROM annotation_events WHERE annotator_id = ? AND kind = 'status'`)
    .all(annotator.id) as { v: number }[];
  expect(versions).toEqual([{ v: 1 }]);

  // The lead changes the guideline (v2) and queues the items labeled under v1 for a re-check.
  await page.keyboard.press('Escape');
  await switchTo(page, '王组长');
  await openProject(page);
  await page.keyboard.press('g');
  await expect(page.getByTestId('guideline-version')).toHaveText('第 1 版');
  await page.keyboard.press('e');
  await expect(editor).toBeFocused();
  await editor.fill((await editor.inputValue()).replace('- 包括 / Include:', '- 包括 / Include: 问订单号、下单是否成功'));
  await page.getByTestId('guideline-save').click();
  await expect(page.getByTestId('guideline-version')).toHaveText('第 2 版');
  const expected = (
    app.core.db
      .prepare(
        // Labeled in the app (imported and gold labels were not made under a guideline).
        `SELECT count(*) AS n FROM (SELECT e.item_id FROM annotation_events e JOIN items i ON i.id = e.item_id AND i.is_gold = 0
         WHERE e.project_id = ? AND e.kind = 'status' AND e.source != 'import'
         GROUP BY e.item_id HAVING max(coalesce(e.guideline_version, 0)) < 2)`,
      )
      .get(project.id) as { n: number }
  ).n;
  expect(expected).toBeGreaterThanOrEqual(3);
  await page.keyboard.press('q');
  await expect(page.getByTestId('guideline-recheck-result')).toHaveText(`已将 ${expected} 个在第 2 版之前标注的条目排入复查`);
  const queued = app.core.db.prepare('SELECT item_id FROM recheck_items WHERE project_id = ? AND guideline_version = 1').all(project.id) as {
    item_id: string;
  }[];
  expect(queued.map((r) => r.item_id)).toContain(first.item_id);
  expect(queued).toHaveLength(3);
  // History: v1 can still be read.
  await page.keyboard.press('h');
  await page.getByTestId('guideline-history').selectOption('1');
  await expect(page.getByTestId('guideline-older')).toContainText('第 1 版');
  await expect(page.getByTestId('guideline-preview')).not.toContainText('问订单号、下单是否成功');
  await page.screenshot({ path: testInfo.outputPath('guideline-history-zh.png') });

  // A reviewer overrides the annotator's first item (through the core), with a reason pointing to 1.2.
  const settings = await ok<{ blind: boolean; reasonCodes: { code: string; label: string; guidelineRef: string }[] }>(app, 'adjudication.settings', {
    projectId: project.id,
  });
  await ok(app, 'adjudication.saveSettings', {
    projectId: project.id,
    actorId: leadId,
    settings: { ...settings, reasonCodes: settings.reasonCodes.map((r) => (r.code === 'guideline' ? { ...r, guidelineRef: '1.2' } : r)) },
  });
  await ok(app, 'adjudication.commit', {
    projectId: project.id,
    itemId: first.item_id,
    reviewerId: leadId,
    decisions: [{ field: 'intents', value: '物流进度', reasonCode: 'guideline', note: '客户问的是快递进度' }],
  });

  // The annotator's feedback: the overridden item, its reason and note; G shows the section the reason refers to.
  await page.getByTestId('guideline-page').click({ position: { x: 5, y: 5 } });
  await page.keyboard.press('Escape');
  await switchTo(page, '小赵');
  await openProject(page);
  await page.keyboard.press('f');
  await expect(page.getByTestId('feedback-page')).toBeVisible();
  const rows = page.getByTestId('feedback-rows').locator('tbody tr');
  await expect(rows).toHaveCount(1);
  await expect(rows.first()).toHaveAttribute('data-ord', labeled[0]!);
  await expect(rows.first().getByTestId('feedback-yours')).toHaveText('查询订单');
  await expect(rows.first().getByTestId('feedback-adjudicated')).toHaveText('物流进度');
  await expect(rows.first().getByTestId('feedback-reason')).toContainText('违反标注规范');
  await expect(rows.first().getByTestId('feedback-reason')).toContainText('规范 1.2');
  await expect(rows.first().getByTestId('feedback-note')).toHaveText('客户问的是快递进度');
  await expect(page.getByTestId('feedback-accuracy')).toContainText('0%');
  await expect(rows.first()).toBeFocused();
  await page.keyboard.press('g');
  await expect(page.getByTestId('guideline-panel-section')).toContainText('1.2 物流进度');
  await page.screenshot({ path: testInfo.outputPath('feedback-zh.png') });
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('guideline-panel')).toHaveCount(0);

  // English.
  await page.getByText('EN', { exact: true }).click();
  await expect(page.getByText('My adjudication feedback')).toBeVisible();
  await expect(rows.first().getByTestId('feedback-reason')).toContainText('guideline 1.2');
  await page.screenshot({ path: testInfo.outputPath('feedback-en.png') });
  // Enter opens the item in the labeling queue; G there shows the section of its intent, in English.
  await rows.first().focus();
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('item-ord')).toHaveText(`#${labeled[0]}`);
  await page.keyboard.press('g');
  await expect(page.getByTestId('guideline-panel-version')).toHaveText('v2');
  await expect(page.getByTestId('guideline-panel-section')).toContainText('问订单号、下单是否成功');
  await page.screenshot({ path: testInfo.outputPath('labeling-guideline-panel-en.png') });
  await page.keyboard.press('Escape');
  await page.keyboard.press('Escape');
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('project-title')).toBeVisible();
});

test('settings: a reviewer edits the reason codes and blind mode; the guideline page in English, dark', async ({}, testInfo) => {
  app = await launchApp({ demo: true, annotator: 'Reviewer', language: 'en', colorScheme: 'dark' });
  const { page } = app;
  const project = app.core.db.prepare('SELECT id FROM projects LIMIT 1').get() as { id: string };
  await ok(app, 'annotators.setRoles', { annotatorId: app.annotatorId!, roles: ['reviewer'] });
  await openProject(page);
  await page.keyboard.press('s');
  await expect(page.getByTestId('project-settings')).toBeVisible();
  const reasons = page.getByTestId('settings-reasons').locator('tbody tr');
  await expect(reasons).toHaveCount(4);
  await page.keyboard.press('n');
  await expect(reasons).toHaveCount(5);
  await expect(page.getByLabel('Code of reason 5')).toBeFocused();
  await page.keyboard.type('Span Boundary');
  await expect(page.getByTestId('settings-save')).toBeDisabled();
  await page.getByLabel('Code of reason 5').fill('span-boundary');
  await page.getByLabel('Name of reason 5').fill('实体边界 / span boundary');
  await page.getByLabel('Guideline section of reason 5').fill('2.1');
  await page.getByLabel('Name of reason 2').fill('标注失误（粗心）/ slip');
  await page.getByRole('button', { name: /Remove reason 4/ }).click();
  await page.getByTestId('settings-blind').click();
  await page.screenshot({ path: testInfo.outputPath('settings-en-dark.png') });
  await page.keyboard.press('ControlOrMeta+s');
  await expect(page.getByText('Settings saved')).toBeVisible();
  const saved = await ok<{ blind: boolean; reasonCodes: { code: string; label: string; guidelineRef: string }[] }>(app, 'adjudication.settings', {
    projectId: project.id,
  });
  expect(saved.blind).toBe(false);
  expect(saved.reasonCodes.map((r) => r.code)).toEqual(['guideline', 'annotator-error', 'ambiguous-text', 'span-boundary']);
  expect(saved.reasonCodes[1]!.label).toBe('标注失误（粗心）/ slip');
  expect(saved.reasonCodes[3]).toEqual({ code: 'span-boundary', label: '实体边界 / span boundary', guidelineRef: '2.1' });

  // A reviewer edits the guideline but does not queue re-checks (a lead's work).
  await page.keyboard.press('Escape');
  await page.keyboard.press('g');
  await expect(page.getByTestId('guideline-page')).toBeVisible();
  await page.keyboard.press('t');
  await page.getByTestId('guideline-save').click();
  await expect(page.getByTestId('guideline-version')).toHaveText('v1');
  await expect(page.getByTestId('guideline-recheck')).toHaveCount(0);
  await page.screenshot({ path: testInfo.outputPath('guideline-en-dark.png') });
});
