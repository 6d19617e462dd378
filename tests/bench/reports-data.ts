import { createCore } from '../../electron/core';
import { fillProject } from './million';

const INTENTS = ['查询订单', '物流进度', '退换货', '投诉', '咨询活动', '支付问题', '账户问题', '其他'];
const LEVELS = ['消极', '中性', '积极'];
const TYPES = ['订单号', '日期', '商品', '金额', '手机号'];
/** Each annotator's chance of giving an item's "true" label; the last one is fast and careless. */
const SKILL = [0.92, 0.88, 0.85, 0.8, 0.62];
const SECONDS = [14, 12, 16, 11, 4];
const SOURCES = ['manual', 'accepted-suggestion', 'edited-suggestion'];

function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Span = { start: number; end: number; label: string };

/** An annotator's version of the item's spans: mostly the same, sometimes a boundary, type or span off. */
function perturb(spans: Span[], skill: number, random: () => number): Span[] {
  if (random() < skill) return spans;
  const out = spans.map((s) => ({ ...s }));
  const roll = random();
  if (out.length && roll < 0.4) out[0]!.end = Math.max(out[0]!.start + 1, out[0]!.end - 1);
  else if (out.length && roll < 0.7) out[0]!.label = TYPES[(TYPES.indexOf(out[0]!.label) + 1) % TYPES.length]!;
  else if (out.length && roll < 0.9) out.pop();
  else out.push({ start: 0, end: 2, label: '商品' });
  return out;
}

/**
 * A project of `items` items, each decided by five annotators (intent, sentiment, entity spans),
 * written straight into the annotations table with the columns the labeling service keeps (the
 * event log is not needed by reports and is left empty); 1 % are gold items with a gold
 * annotator's reference labels. Returns the project id and the number of annotator decisions.
 */
export async function writeReportsProject(dbPath: string, items: number): Promise<{ projectId: string; annotations: number }> {
  const core = createCore({ dbPath });
  const db = core.db;
  const created = await core.dispatch('projects.create', { name: 'reports' });
  if (!created.ok) throw new Error(created.error.message);
  const projectId = (created.value as { id: string }).id;
  fillProject(db, projectId, items);
  const annotators = ['标注员A', '标注员B', '标注员C', '标注员D', '标注员E', 'gold'].map((name, i) => {
    const id = `ANNOTATOR${String(i).padStart(17, '0')}`;
    db.prepare("INSERT INTO annotators (id, name, origin, created_at) VALUES (?, ?, 'local', '2026-11-01T08:00:00.000Z')").run(id, name);
    return id;
  });
  const insert = db.prepare(
    `INSERT INTO annotations (item_id, annotator_id, project_id, intents_json, entities_json, sentiment, status, last_event_id, updated_at,
       intents_source, sentiment_source, entities_source, submits, first_submitted_at, first_intents_json, first_sentiment, active_ms)
     VALUES (?, ?, ?, ?, ?, ?, 'submitted', 'bench', ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const gold = db.prepare('UPDATE items SET is_gold = 1 WHERE id = ?');
  const random = rng(7);
  let annotations = 0;
  db.transaction(() => {
    for (let i = 1; i <= items; i++) {
      const itemId = `ITEM${String(i).padStart(22, '0')}`;
      const intent = Math.floor(random() * INTENTS.length);
      const level = Math.floor(random() * LEVELS.length);
      const spans: Span[] = [];
      const n = Math.floor(random() * 3);
      for (let s = 0; s < n; s++) spans.push({ start: s * 6, end: s * 6 + 4, label: TYPES[Math.floor(random() * TYPES.length)]! });
      const isGold = i % 100 === 0;
      const day = `2026-11-${String(1 + Math.floor((i / items) * 20)).padStart(2, '0')}`;
      for (let a = 0; a < (isGold ? 6 : 5); a++) {
        const reference = a === 5;
        const skill = reference ? 1 : SKILL[a]!;
        const myIntent = random() < skill ? intent : Math.floor(random() * INTENTS.length);
        const myLevel = random() < skill ? level : Math.floor(random() * LEVELS.length);
        const intentsJson = JSON.stringify([INTENTS[myIntent]]);
        const source = reference ? 'import' : SOURCES[Math.floor(random() * SOURCES.length)]!;
        const at = `${day}T${String(8 + (i % 10)).padStart(2, '0')}:00:00.000Z`;
        const revisited = random() < 0.02;
        insert.run(
          itemId,
          annotators[a],
          projectId,
          intentsJson,
          JSON.stringify(reference ? spans : perturb(spans, skill, random)),
          LEVELS[myLevel],
          at,
          source,
          source,
          source,
          revisited ? 2 : 1,
          at,
          revisited && random() < 0.3 ? JSON.stringify([INTENTS[(myIntent + 1) % INTENTS.length]]) : intentsJson,
          LEVELS[myLevel],
          reference ? 0 : Math.round(SECONDS[a]! * 1000 * (0.5 + random())),
        );
        if (!reference) annotations++;
      }
      if (isGold) gold.run(itemId);
    }
  })();
  core.close();
  return { projectId, annotations };
}
