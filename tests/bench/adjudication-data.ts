import { createCore } from '../../electron/core';
import { utterance } from './import-data';
import { fillProject } from './million';

export const INTENTS = ['查询订单', '物流进度', '退换货', '投诉', '咨询活动', '支付问题', '账户问题', '发票', '售后维修', '其他'];
export const LEVELS = ['消极', '中性', '积极'];
export const TYPES = ['订单号', '日期', '商品', '金额'];
export const ANNOTATORS = ['标注员甲', '标注员乙', '标注员丙'];
/** How often each annotator is the one who differs on a disputed field (the last is the careless one). */
const BLAME = [0.2, 0.3, 0.5];
/** Share of the items where the versions disagree on at least one field. */
export const DISPUTED_SHARE = 0.3;

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

export interface TeamProject {
  projectId: string;
  items: number;
  annotations: number;
  events: number;
  /** Items written with a disagreement on some field. */
  disputedItems: number;
  /** Of those, the ones split three ways on intents or sentiment (no majority). */
  splitItems: number;
}

/**
 * A team project of `items` items, each submitted by three annotators (single-label intent over ten
 * labels, sentiment over three levels, 0–2 entity spans), written straight with prepared statements
 * the way an import of a team JSONL writes it: one committed import, for each annotation its
 * events (intents, entities when there are spans, sentiment, then status 'submitted', source
 * 'import', each with the value it replaced) and its state row with the report columns, the
 * annotators' progress and the project's counts. About 30 % of the items disagree on one field: a
 * 2–1 split (a majority resolves it) or, for a fifth of them, a three-way split on intents or
 * sentiment (only a person can).
 */
export async function writeTeamProject(
  dbPath: string,
  items: number,
  name = 'adjudication',
  seed = 20261210,
  /** Shifts the item ids and texts, for a second project in the same file. */
  offset = 0,
): Promise<TeamProject> {
  const core = createCore({ dbPath });
  const db = core.db;
  const schema = {
    intents: { labels: INTENTS.map((n) => ({ name: n })) },
    sentiment: { levels: LEVELS.map((n, value) => ({ name: n, value })) },
    entities: { types: TYPES.map((n) => ({ name: n })) },
  };
  const created = await core.dispatch('projects.create', { name, schema });
  if (!created.ok) throw new Error(created.error.message);
  const projectId = (created.value as { id: string }).id;
  const schemaVersion = db.prepare('SELECT schema_version FROM projects WHERE id = ?').pluck(true).get(projectId) as number;
  fillProject(db, projectId, items, offset);
  const now = '2026-12-01T08:00:00.000Z';
  const importId = `IMPORT-${projectId}`;
  db.prepare(
    "INSERT INTO imports (id, project_id, file, format, encoding, state, summary_json, started_at, finished_at) VALUES (?, ?, 'team.jsonl', 'jsonl', 'utf-8', 'committed', '{}', ?, ?)",
  ).run(importId, projectId, now, now);
  const annotatorIds = ANNOTATORS.map((n, a) => {
    const id = `ANNOTATOR-${projectId.slice(-8)}-${a}`;
    db.prepare("INSERT INTO annotators (id, name, origin, created_at) VALUES (?, ?, 'import', ?)").run(
      id,
      `${n}${name === 'adjudication' ? '' : `-${name}`}`,
      now,
    );
    return id;
  });
  const event = db.prepare(
    `INSERT INTO annotation_events (id, project_id, item_id, annotator_id, kind, value_json, source, schema_version, started_at, ended_at, import_id,
       action_id, prev_value_json, reverts_action_id, prev_source, guideline_version)
     VALUES (?, ?, ?, ?, ?, ?, 'import', ?, NULL, ?, ?, NULL, ?, NULL, ?, NULL)`,
  );
  const state = db.prepare(
    `INSERT INTO annotations (item_id, annotator_id, project_id, intents_json, entities_json, sentiment, flagged, note, status, last_event_id, updated_at,
       intents_source, sentiment_source, entities_source, submits, first_submitted_at, first_intents_json, first_sentiment, active_ms, adjudicated)
     VALUES (?, ?, ?, ?, ?, ?, 0, '', 'submitted', ?, ?, 'import', 'import', ?, 1, ?, ?, ?, 0, 0)`,
  );
  const random = rng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)]!;
  const other = (n: number, not: number[]): number => {
    let x = Math.floor(random() * n);
    while (not.includes(x)) x = (x + 1) % n;
    return x;
  };
  const blamed = (): number => {
    const r = random();
    return r < BLAME[0]! ? 0 : r < BLAME[0]! + BLAME[1]! ? 1 : 2;
  };
  let events = 0;
  let disputedItems = 0;
  let splitItems = 0;
  const eventId = (): string => `EV${String(++events).padStart(12, '0')}-${projectId.slice(-6)}`;
  db.transaction(() => {
    for (let i = 1; i <= items; i++) {
      const itemId = `ITEM${String(offset + i).padStart(22, '0')}`;
      const length = [...utterance(offset + i)].length;
      const intent = Math.floor(random() * INTENTS.length);
      const level = Math.floor(random() * LEVELS.length);
      const spans: Span[] = [];
      const n = Math.floor(random() * 3);
      for (let s = 0; s < n && s * 6 + 4 <= length; s++) spans.push({ start: s * 6, end: s * 6 + 4, label: pick(TYPES) });
      const intents = [intent, intent, intent];
      const levels = [level, level, level];
      const entities: Span[][] = [spans, spans, spans];
      if (random() < DISPUTED_SHARE) {
        disputedItems++;
        const roll = random();
        const split = random() < 0.2;
        const a = blamed();
        if (roll < 0.5 || (roll >= 0.8 && !spans.length)) {
          intents[a] = other(INTENTS.length, [intent]);
          if (split) intents[(a + 1) % 3] = other(INTENTS.length, [intent, intents[a]!]);
        } else if (roll < 0.8) {
          levels[a] = other(LEVELS.length, [level]);
          if (split) levels[(a + 1) % 3] = other(LEVELS.length, [level, levels[a]!]);
        } else {
          // One annotator's spans: a boundary off, another type, or one span missing.
          const mine = spans.map((s) => ({ ...s }));
          const how = random();
          if (how < 0.4) mine[0]!.end = mine[0]!.end - 1;
          else if (how < 0.7) mine[0]!.label = TYPES[(TYPES.indexOf(mine[0]!.label) + 1) % TYPES.length]!;
          else mine.pop();
          entities[a] = mine;
        }
        if (split && roll < 0.8) splitItems++;
      }
      for (let a = 0; a < 3; a++) {
        const intentsJson = JSON.stringify([INTENTS[intents[a]!]]);
        const sentiment = LEVELS[levels[a]!]!;
        const entitiesJson = JSON.stringify(entities[a]);
        const hasSpans = entities[a]!.length > 0;
        const at = `2026-12-0${1 + (i % 9)}T${String(8 + (i % 10)).padStart(2, '0')}:${String(a * 7).padStart(2, '0')}:00.000Z`;
        event.run(eventId(), projectId, itemId, annotatorIds[a], 'intents', intentsJson, schemaVersion, at, importId, null, 'none');
        if (hasSpans) event.run(eventId(), projectId, itemId, annotatorIds[a], 'entities', entitiesJson, schemaVersion, at, importId, '[]', 'none');
        event.run(eventId(), projectId, itemId, annotatorIds[a], 'sentiment', JSON.stringify(sentiment), schemaVersion, at, importId, 'null', 'none');
        const last = eventId();
        event.run(last, projectId, itemId, annotatorIds[a], 'status', '"submitted"', schemaVersion, at, importId, '"draft"', null);
        state.run(
          itemId,
          annotatorIds[a],
          projectId,
          intentsJson,
          entitiesJson,
          sentiment,
          last,
          at,
          hasSpans ? 'import' : null,
          at,
          intentsJson,
          sentiment,
        );
      }
    }
    const progress = db.prepare('INSERT INTO annotator_progress (project_id, annotator_id, submitted, skipped) VALUES (?, ?, ?, 0)');
    for (const id of annotatorIds) progress.run(projectId, id, items);
    db.prepare('UPDATE projects SET annotated_count = ? WHERE id = ?').run(items, projectId);
  })();
  db.pragma('wal_checkpoint(TRUNCATE)');
  core.close();
  return { projectId, items, annotations: items * 3, events, disputedItems, splitItems };
}
