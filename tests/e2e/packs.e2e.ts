import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test, expect } from '@playwright/test';
import { createCore } from '../../electron/core';
import { assignmentAnnotators, writeAssignment } from '../../electron/core/packs/assign';
import { mergeResultPacks } from '../../electron/core/packs/merge';
import { fileKeyStore, workstationSigner } from '../../electron/core/packs/keys';
import { writeTransaction } from '../../electron/core/db/write';
import { launchApp, type App } from './harness';

let app: App;
test.afterEach(async () => {
  await app?.close();
});

const INTENTS = ['查询订单', '退换货', '投诉', '发票'];

/** The lead's workstation, in this test's process: a project with 12 items and 3 gold, one pack for 小王. */
async function leadWithPack(dir: string) {
  const dbPath = join(dir, 'lead.db');
  const lead = createCore({ dbPath });
  const created = await lead.dispatch('projects.create', {
    name: '售后分发',
    schema: { intents: { labels: INTENTS.map((name, i) => ({ name, hotkey: String(i + 1) })) } },
  });
  if (!created.ok) throw new Error(created.error.message);
  const projectId = (created.value as { id: string }).id;
  const file = join(dir, 'items.jsonl');
  const rows = [
    ...Array.from({ length: 12 }, (_, i) => ({ text: `第${i + 1}位客户：我的快递${i + 1}天了还没到`, meta: { channel: 'app' } })),
    ...Array.from({ length: 3 }, (_, i) => ({ text: `我要开发票，第${i + 1}次问`, gold: true, intent: '发票', annotator: 'gold' })),
  ];
  writeFileSync(file, rows.map((r) => JSON.stringify(r)).join('\n') + '\n');
  const status = await lead.imports.run({ projectId, filePath: file, format: 'jsonl', onBadLines: 'abort' });
  expect(status.state).toBe('committed');
  const annotatorIds = writeTransaction(lead.db, () => assignmentAnnotators(lead.db, lead.runtime, ['小王']));
  const out = join(dir, 'packs');
  const result = writeAssignment(
    lead.db,
    lead.runtime,
    workstationSigner(fileKeyStore(dbPath)),
    { projectId, annotatorIds, overlap: 1, goldShare: 0.2, filter: 'unlabeled', seed: 1, expiresDays: 7, metaFields: ['channel'] },
    out,
  );
  return { lead, projectId, pack: result.packs[0]!.file };
}

test('an annotator opens a pack, labels three items by keyboard and returns the work; the lead merges it', async ({}, testInfo) => {
  app = await launchApp({ annotator: '小王' });
  const { page } = app;
  const { lead, projectId, pack } = await leadWithPack(app.dir);
  try {
    await expect(page.getByRole('button', { name: /打开分发包/ })).toBeVisible();
    app.filesToPick.push(pack);
    await page.keyboard.press('o');
    await expect(page.getByTestId('project-title')).toHaveText('售后分发');
    const banner = page.getByTestId('pack-banner');
    await expect(banner).toBeVisible();
    await expect(page.getByTestId('pack-progress')).toHaveText('已完成 0 / 15 条');
    await page.screenshot({ path: testInfo.outputPath('pack-opened.png') });

    await page.keyboard.press('l');
    await expect(page.getByTestId('span-text')).toBeVisible();
    for (const key of ['1', '2', '3']) {
      const ord = await page.getByTestId('item-ord').textContent();
      await page.keyboard.press(key);
      await page.keyboard.press('Enter');
      await expect(page.getByTestId('item-ord')).not.toHaveText(ord ?? '');
    }
    await page.keyboard.press('Escape');
    await expect(page.getByTestId('pack-progress')).toHaveText('已完成 3 / 15 条');

    const outbox = join(app.dir, 'outbox');
    mkdirSync(outbox);
    app.filesToPick.push(outbox);
    await page.keyboard.press('w');
    await expect(page.getByText('结果包已写好')).toBeVisible();
    const files = readdirSync(outbox);
    expect(files).toEqual(['小王-售后分发-result.zip']);
    await page.screenshot({ path: testInfo.outputPath('pack-returned.png') });

    const merged = mergeResultPacks(lead.db, lead.runtime, [{ name: files[0]!, bytes: readFileSync(join(outbox, files[0]!)) }]);
    expect(merged).toMatchObject({ merged_events: 6, already_had: 0, refused: [] });
    const submitted = lead.db
      .prepare("SELECT count(*) FROM annotations a JOIN annotators n ON n.id = a.annotator_id WHERE n.name = '小王' AND a.status = 'submitted' AND a.project_id = ?")
      .pluck()
      .get(projectId);
    expect(submitted).toBe(3);
  } finally {
    lead.close();
  }
});

test('the lead plans packs with a preview, writes them into a folder, merges a result pack and sees the progress', async ({}, testInfo) => {
  app = await launchApp({ demo: true, annotator: '组长' });
  const { page } = app;
  await expect(page.getByRole('row', { name: /演示|Demo/ })).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('project-title')).toBeVisible();
  await page.keyboard.press('p');
  await expect(page.getByTestId('packs-page')).toBeVisible();
  const names = page.getByTestId('assignment-annotators');
  await names.focus();
  for (const name of ['小赵', '小钱', '小孙']) {
    await page.keyboard.type(name);
    await page.keyboard.press('Enter');
  }
  const preview = page.getByTestId('assignment-preview');
  await expect(preview.locator('tbody tr')).toHaveCount(3);
  await expect(preview).toContainText('小赵');
  await page.screenshot({ path: testInfo.outputPath('packs-plan.png') });

  const out = join(app.dir, 'packs-out');
  mkdirSync(out);
  app.filesToPick.push(out);
  await page.getByTestId('assignment-write').focus();
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('assignment-written')).toContainText('小赵.zip');
  expect(readdirSync(out).sort()).toEqual(['小孙.zip', '小赵.zip', '小钱.zip']);
  await expect(page.getByTestId('pack-status').locator('tbody tr')).toHaveCount(3);

  // 小赵 works offline on a workstation of their own (here: a core in the test's process) and sends the result.
  const annotatorDb = join(app.dir, 'zhao.db');
  const zhao = createCore({ dbPath: annotatorDb });
  let result: string;
  try {
    const { openPack } = await import('../../electron/core/packs/open');
    const { returnWork } = await import('../../electron/core/packs/returnPack');
    const opened = openPack(zhao.db, zhao.runtime, readFileSync(join(out, '小赵.zip')), '小赵');
    const me = zhao.db.prepare("SELECT id FROM annotators WHERE name = '小赵'").pluck().get() as string;
    const items = zhao.db.prepare('SELECT item_id FROM received_pack_items ORDER BY local_id LIMIT 5').pluck().all() as string[];
    for (const itemId of items) {
      const r = await zhao.dispatch('labeling.apply', { projectId: opened.projectId, itemId, annotatorId: me, changes: [{ kind: 'status', value: 'submitted' }] });
      expect(r.ok).toBe(true);
    }
    result = join(app.dir, 'zhao-result.zip');
    writeFileSync(result, returnWork(zhao.db, zhao.runtime, workstationSigner(fileKeyStore(annotatorDb)), opened.projectId, '小赵').bytes);
  } finally {
    zhao.close();
  }
  app.filesToPick.push(result);
  await page.keyboard.press('m');
  await expect(page.getByTestId('merge-outcome')).toContainText('新增 5 个事件');
  await expect(page.getByTestId('pack-status').locator('tr[data-annotator="小赵"]')).toContainText('5 /');
  await page.screenshot({ path: testInfo.outputPath('packs-merged.png') });
});
