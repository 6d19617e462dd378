import { createReadStream, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { ProjectDetail } from '../../../shared/contract/schemas';
import type { DB } from '../db/open';
import { getProject, listProjects } from '../db/repos/projects';
import type { Runtime } from '../runtime';
import type { ImportService } from './imports';
import { createProject } from './projects';

export const DEMO_PROJECT_NAME = '演示：电商客服';
export const GOLD_ANNOTATOR = 'gold';

/**
 * On first start (no projects yet) creates the demo project from resources/demo: every utterance
 * as an item to label; the reference labels of the gold items as the `gold` annotator's; the lines of
 * the demo team (小王, 小李) as their annotations, so a reviewer has disagreements to adjudicate.
 */
export async function seedDemoProject(db: DB, rt: Runtime, imports: ImportService, demoFile: string): Promise<ProjectDetail | null> {
  if (listProjects(db).length > 0) return null;
  const lines: string[] = [];
  for await (const line of createInterface({ input: createReadStream(demoFile, 'utf8'), crlfDelay: Infinity })) {
    if (!line.trim()) continue;
    const { intent, entities, sentiment, ...rest } = JSON.parse(line) as Record<string, unknown>;
    // Gold lines carry the reference labels; lines naming an annotator are that person's labels (the
    // demo's team, for adjudication); the rest are items to label.
    const labeled = rest.gold === true || typeof rest.annotator === 'string';
    lines.push(JSON.stringify(labeled ? { ...rest, intent, entities, sentiment, ...(rest.gold === true ? { annotator: GOLD_ANNOTATOR } : {}) } : rest));
  }
  const dir = mkdtempSync(join(tmpdir(), 'annot-demo-'));
  try {
    const file = join(dir, 'demo-items.jsonl');
    writeFileSync(file, `${lines.join('\n')}\n`);
    const project = createProject(db, rt, {
      name: DEMO_PROJECT_NAME,
      description: '约 300 条电商客服用户消息，用于试用标注流程 · Demo: ~300 e-commerce customer-service messages',
    });
    const status = await imports.run({ projectId: project.id, filePath: file, format: 'jsonl', onBadLines: 'abort' });
    if (status.state !== 'committed') throw new Error(`demo import failed: ${status.fatal?.reason ?? status.errors[0]?.reason ?? status.state}`);
    return getProject(db, project.id);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
