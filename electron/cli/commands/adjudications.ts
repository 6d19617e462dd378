import type { Command } from 'commander';
import { AdjudicationState, type AdjudicationQueue, type FieldValue } from '../../../shared/contract/adjudication';
import { createCore } from '../../core';
import type { DB } from '../../core/db/open';
import { findProjectByName } from '../../core/db/repos/projects';
import { table } from '../output';

interface AdjudicationsOptions {
  db: string;
  project: string;
  state?: string;
  json?: boolean;
}

/** One decided field of an item, as `annot adjudications --json` prints it. */
export interface ListedField {
  value: FieldValue;
  /** 'adjudication': a reviewer decided it; 'auto': a policy did. */
  source: 'adjudication' | 'auto';
  reason_code: string | null;
  /** The policy of an automatic decision (unanimous, majority, dawid-skene); null for a reviewer's. */
  policy: string | null;
}

/** One item of the adjudication queue, as `annot adjudications --json` prints it (one JSON array of these). */
export interface ListedItem {
  item_id: string;
  ord: number;
  external_id: string | null;
  text: string;
  state: AdjudicationState;
  /** Disagreement between the versions (0 = all agree). */
  score: number;
  /** Submitted versions (annotators) of the item. */
  versions: number;
  /** Only the decided fields: intents | intents:<label> | sentiment | entities:<start>-<end>. */
  fields: Record<string, ListedField>;
}

export function registerAdjudications(program: Command): void {
  program
    .command('adjudications')
    .description('the items of the adjudication queue (two or more submitted versions) with their state and every decided field')
    .requiredOption('--db <path>', 'the database file')
    .requiredOption('--project <name>', 'project name')
    .option('--state <state>', `only items in this state: ${AdjudicationState.options.join(', ')}`)
    .option('--json', 'print one JSON array of {"item_id", "ord", "external_id", "text", "state", "score", "versions", "fields"}')
    .action(async (opts: AdjudicationsOptions) => {
      process.exitCode = await runAdjudications(opts);
    });
}

async function runAdjudications(opts: AdjudicationsOptions): Promise<number> {
  const state = opts.state === undefined ? undefined : AdjudicationState.safeParse(opts.state);
  if (state && !state.success) {
    console.error(`annot adjudications: unknown state "${opts.state}" (${AdjudicationState.options.join(', ')})`);
    return 2;
  }
  const core = createCore({ dbPath: opts.db });
  try {
    const project = findProjectByName(core.db, opts.project);
    if (!project) {
      console.error(`annot: no project named "${opts.project}"`);
      return 1;
    }
    // Through the core first: it brings the queue up to date with the annotations.
    const r = await core.dispatch('adjudication.queue', { projectId: project.id, filter: state ? { state: state.data } : {}, limit: 1 });
    if (!r.ok) {
      console.error(`annot adjudications: ${r.error.message}`);
      return 1;
    }
    const queue = r.value as AdjudicationQueue;
    const items = listItems(core.db, project.id, state?.data);
    if (opts.json) writeJsonArray(items);
    else {
      const rows: Record<string, string | number>[] = [];
      for (const item of items) {
        rows.push({
          ord: item.ord,
          external_id: item.external_id ?? '',
          state: item.state,
          score: item.score.toFixed(3),
          text: clip(item.text, 24),
          fields: Object.entries(item.fields)
            .map(
              ([field, f]) =>
                `${field}=${show(f.value)} (${f.source === 'auto' ? `auto ${f.policy ?? ''}`.trim() : `reviewer${f.reason_code ? ` ${f.reason_code}` : ''}`})`,
            )
            .join('; '),
        });
      }
      const c = queue.counts;
      console.log(
        `${project.name}: ${queue.total} item(s)${state ? ` ${state.data}` : ''} — disputed ${c.disputed}, auto ${c.auto}, human ${c.human}, flagged ${c.flagged}`,
      );
      console.log(table(rows));
    }
    return 0;
  } finally {
    core.close();
  }
}

interface Row {
  item_id: string;
  ord: number;
  external_id: string | null;
  text: string;
  state: AdjudicationState;
  score: number;
  submitted: number;
  field: string | null;
  value_json: string | null;
  source: 'adjudication' | 'auto' | null;
  reason_code: string | null;
  policy: string | null;
}

/** Fields in the order a reviewer sees them: intents, sentiment, then spans by position. */
function fieldRank(field: string): [number, number, string] {
  if (field === 'intents' || field.startsWith('intents:')) return [0, 0, field];
  if (field === 'sentiment') return [1, 0, field];
  return [2, Number(/^entities:(\d+)/.exec(field)?.[1] ?? 0), field];
}

function byField(a: string, b: string): number {
  const [x, y] = [fieldRank(a), fieldRank(b)];
  return x[0] - y[0] || x[1] - y[1] || (x[2] < y[2] ? -1 : x[2] > y[2] ? 1 : 0);
}

/** The queue's items in item order, each with its decided fields (one pass over a join). */
export function* listItems(db: DB, projectId: string, state?: AdjudicationState): Generator<ListedItem> {
  const rows = db
    .prepare(
      `SELECT q.item_id, i.ord, i.external_id, i.text, q.state, q.score, q.submitted, a.field, a.value_json, a.source, a.reason_code, e.policy
       FROM adjudication_items q JOIN items i ON i.id = q.item_id
       LEFT JOIN adjudications a ON a.item_id = q.item_id
       LEFT JOIN adjudication_events e ON e.id = a.last_event_id
       WHERE q.project_id = ?${state ? ' AND q.state = ?' : ''}
       ORDER BY i.ord`,
    )
    .iterate(...(state ? [projectId, state] : [projectId])) as Iterable<Row>;
  let current = null as ListedItem | null;
  const done = (item: ListedItem): ListedItem => {
    const names = Object.keys(item.fields);
    if (names.length > 1) item.fields = Object.fromEntries(names.sort(byField).map((n) => [n, item.fields[n]!]));
    return item;
  };
  for (const r of rows) {
    if (current?.item_id !== r.item_id) {
      if (current) yield done(current);
      current = {
        item_id: r.item_id,
        ord: r.ord,
        external_id: r.external_id,
        text: r.text,
        state: r.state,
        score: r.score,
        versions: r.submitted,
        fields: {},
      };
    }
    if (r.field !== null && r.value_json !== null && r.source !== null) {
      current.fields[r.field] = { value: JSON.parse(r.value_json) as FieldValue, source: r.source, reason_code: r.reason_code, policy: r.policy };
    }
  }
  if (current) yield done(current);
}

/** One JSON array, written as it is read (a big project's queue never sits in memory as one string). */
function writeJsonArray(items: Iterable<ListedItem>): void {
  let buffer = '[';
  let first = true;
  for (const item of items) {
    buffer += (first ? '' : ',') + JSON.stringify(item);
    first = false;
    if (buffer.length > 1 << 16) {
      process.stdout.write(buffer);
      buffer = '';
    }
  }
  process.stdout.write(`${buffer}]\n`);
}

function show(v: FieldValue): string {
  if (v === null) return '—';
  if (Array.isArray(v)) return v.length ? v.map((s) => `${s.start}-${s.end} ${s.label}`).join(', ') : '(no span)';
  return String(v);
}

function clip(text: string, max: number): string {
  const chars = [...text.replace(/\s+/g, ' ')];
  return chars.length > max ? `${chars.slice(0, max - 1).join('')}…` : chars.join('');
}
