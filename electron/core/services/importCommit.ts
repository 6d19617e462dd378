import { pauseForInteractiveCalls } from '../threads/interactiveCalls';
import type { AnnotationChange } from '../../../shared/domain/annotation';
import { sortSpans } from '../../../shared/domain/spans';
import type { DB } from '../db/open';
import { stmt } from '../db/statements';
import { writeGateOf, writeTransaction } from '../db/write';
import { appendEvent, annotationOf } from '../db/repos/annotations';
import { ensureAnnotator } from '../db/repos/annotators';
import { addItemCount } from '../db/repos/projects';
import { labelStudioAnnotatorName } from '../importers/labelstudio';
import type { ImportedAnnotation, ImportedSuggestion } from '../importers/record';
import type { Runtime } from '../runtime';

/** New items written per transaction: a set-based insert that cannot stop halfway (~0.5 ms). */
export const ITEM_CHUNK = 256;
/** Labeled lines per transaction at most; the chunk ends early when the labeling thread wants to write. */
export const LABEL_CHUNK = 256;
/** How often (in labeled lines) a label chunk looks whether it should step aside. */
const YIELD_CHECK_EVERY = 16;
export const DEFAULT_ANNOTATOR = 'imported';

/** An import being written into its project: the row of import_commits, with what the staging file says. */
export interface CommitCursor {
  importId: string;
  projectId: string;
  stagingPath: string;
  baseOrd: number;
  schemaVersion: number;
  itemsTotal: number;
  itemsDone: number;
  /** New items the database refused; the ords of later items close their gap. */
  itemsSkipped: number;
  labelsTotal: number;
  labelsDone: number;
  annotations: number;
  /** The file's name, as items record it. */
  sourceFile: string;
  /** Who made labels that carry no annotator of their own. */
  defaultAnnotator: string;
  aliases: Map<string, string>;
}

interface CommitRow {
  import_id: string;
  project_id: string;
  staging_path: string;
  base_ord: number;
  schema_version: number;
  items_total: number;
  items_done: number;
  items_skipped: number;
  labels_total: number;
  labels_done: number;
  annotations: number;
}

export function commitRows(db: DB): CommitRow[] {
  return db.prepare('SELECT * FROM import_commits ORDER BY started_at').all() as CommitRow[];
}

export function cursorOf(row: CommitRow, meta: { sourceFile: string; defaultAnnotator: string; aliases: Map<string, string> }): CommitCursor {
  return {
    importId: row.import_id,
    projectId: row.project_id,
    stagingPath: row.staging_path,
    baseOrd: row.base_ord,
    schemaVersion: row.schema_version,
    itemsTotal: row.items_total,
    itemsDone: row.items_done,
    itemsSkipped: row.items_skipped,
    labelsTotal: row.labels_total,
    labelsDone: row.labels_done,
    annotations: row.annotations,
    ...meta,
  };
}

/**
 * Writes the planned rows into the project, chunk by chunk, each chunk one transaction that also
 * moves the cursors in import_commits: new items first (they appear in the project as they are
 * written, after its existing items), then the labels and suggestions of labeled lines. Stops
 * between chunks when `stop()` says so (the import resumes from the cursors). On a job thread the
 * chunks wait at the write gate while the labeling thread is busy.
 */
export async function writePlannedRows(
  db: DB,
  rt: Runtime,
  c: CommitCursor,
  stop: () => boolean,
  onProgress: (c: CommitCursor) => void,
  onRefused: (line: number, reason: string) => void,
): Promise<boolean> {
  const gate = writeGateOf(db);
  const chunk = async <T>(fn: () => T): Promise<T> => {
    pauseForInteractiveCalls();
    if (gate?.role === 'background') return gate.gate.background(() => writeTransaction(db, fn));
    const value = writeTransaction(db, fn);
    await new Promise((resolve) => setImmediate(resolve));
    return value;
  };
  const stepAside = gate?.role === 'background' ? gate.gate.interactiveWaiting : () => false;
  const now = rt.now().toISOString();
  const insertItems = db.prepare(
    `INSERT INTO main.items (id, project_id, ord, content_hash, text, meta_json, external_id, is_gold, source_file, source_line, import_id, created_at)
     SELECT s.id, @project, @base + p.rank, s.hash, s.text, s.meta, s.external_id, p.gold, @file, s.line, @import, @now
     FROM stage.plan p JOIN stage.rows s ON s.line = p.line
     WHERE p.rank > @from AND p.rank <= @to ORDER BY p.rank`,
  );
  const lineOfRank = db.prepare('SELECT line FROM stage.plan WHERE rank = ?').pluck(true);
  const moveItems = stmt(db, 'UPDATE import_commits SET items_done = ?, items_skipped = ? WHERE import_id = ?');
  const itemParams = (from: number, to: number, skipped: number) => ({
    project: c.projectId,
    base: c.baseOrd - skipped,
    file: c.sourceFile,
    import: c.importId,
    now,
    from,
    to,
  });
  while (c.itemsDone < c.itemsTotal) {
    if (stop()) return false;
    await chunk(() => {
      const to = Math.min(c.itemsTotal, c.itemsDone + ITEM_CHUNK);
      let skipped = c.itemsSkipped;
      let written: number;
      try {
        written = savepoint(db, () => insertItems.run(itemParams(c.itemsDone, to, skipped)).changes);
      } catch (error) {
        if (!isRowRefusal(error)) throw error;
        // One row is refused: write the chunk row by row, skip the refused ones and report their lines.
        written = 0;
        for (let rank = c.itemsDone + 1; rank <= to; rank++) {
          try {
            written += savepoint(db, () => insertItems.run(itemParams(rank - 1, rank, skipped)).changes);
          } catch (rowError) {
            if (!isRowRefusal(rowError)) throw rowError;
            skipped++;
            onRefused(lineOfRank.get(rank) as number, refusal(rowError));
          }
        }
      }
      addItemCount(db, c.projectId, written);
      moveItems.run(to, skipped, c.importId);
      c.itemsDone = to;
      c.itemsSkipped = skipped;
    });
    onProgress(c);
  }

  const labeled = db.prepare<[number, number], { n: number; line: number; labels: string; item_id: string }>(
    `SELECT l.n, l.line, s.labels, l.item_id FROM stage.labeled l JOIN stage.rows s ON s.line = l.line
     WHERE l.n > ? AND EXISTS (SELECT 1 FROM main.items i WHERE i.id = l.item_id) ORDER BY l.n LIMIT ?`,
  );
  const moveLabels = stmt(db, 'UPDATE import_commits SET labels_done = ?, annotations = ? WHERE import_id = ?');
  const labels = new LabelWriter(db, rt, c, now);
  while (c.labelsDone < c.labelsTotal) {
    if (stop()) return false;
    await chunk(() => {
      const rows = labeled.all(c.labelsDone, LABEL_CHUNK);
      let done = c.labelsDone;
      let annotations = c.annotations;
      for (let i = 0; i < rows.length; i++) {
        const row = rows[i]!;
        try {
          annotations += savepoint(db, () => labels.apply(row.item_id, JSON.parse(row.labels) as { a: ImportedAnnotation[]; s: ImportedSuggestion[] }));
        } catch (error) {
          if (!isRowRefusal(error)) throw error;
          onRefused(row.line, refusal(error));
        }
        done = row.n;
        if (i % YIELD_CHECK_EVERY === YIELD_CHECK_EVERY - 1 && stepAside()) break;
      }
      if (!rows.length) done = c.labelsTotal;
      moveLabels.run(done, annotations, c.importId);
      c.labelsDone = done;
      c.annotations = annotations;
    });
    onProgress(c);
  }
  return true;
}

/** Runs fn in a savepoint of the current transaction: a refused row undoes only its own writes. */
function savepoint<T>(db: DB, fn: () => T): T {
  return db.transaction(fn)();
}

/** A constraint or trigger refused this row: the row is skipped and reported; anything else stops the commit. */
function isRowRefusal(error: unknown): boolean {
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' && code.startsWith('SQLITE_CONSTRAINT');
}

function refusal(error: unknown): string {
  return `the database refused this line: ${(error as Error).message}`;
}

/** Imported labels as events (only where they differ from the annotator's current state) and suggestions. */
class LabelWriter {
  private readonly annotators = new Map<string, string>();

  constructor(
    private readonly db: DB,
    private readonly rt: Runtime,
    private readonly c: CommitCursor,
    private readonly now: string,
  ) {}

  /** Returns how many annotations changed. */
  apply(itemId: string, labels: { a: ImportedAnnotation[]; s: ImportedSuggestion[] }): number {
    let changed = 0;
    for (const a of labels.a) if (this.annotation(itemId, this.annotatorId(a.annotator), a)) changed++;
    for (const s of labels.s) this.suggestion(itemId, s);
    return changed;
  }

  private annotatorId(key: string | null): string {
    const name = key === null ? this.c.defaultAnnotator : labelStudioAnnotatorName(key, this.c.aliases);
    let id = this.annotators.get(name);
    if (!id) {
      id = ensureAnnotator(this.db, name, () => this.rt.newId(), this.now, 'import').id;
      this.annotators.set(name, id);
    }
    return id;
  }

  private annotation(itemId: string, annotatorId: string, a: ImportedAnnotation): boolean {
    const current = annotationOf(this.db, itemId, annotatorId);
    const changes: AnnotationChange[] = [];
    if (a.intents && !sameList(current?.intents, a.intents)) changes.push({ kind: 'intents', value: a.intents });
    if (a.entities && JSON.stringify(sortSpans(current?.entities ?? [])) !== JSON.stringify(sortSpans(a.entities))) {
      changes.push({ kind: 'entities', value: sortSpans(a.entities) });
    }
    if (a.sentiment !== undefined && (current?.sentiment ?? null) !== a.sentiment) changes.push({ kind: 'sentiment', value: a.sentiment });
    if (!changes.length) return false;
    if (current?.status !== 'submitted') changes.push({ kind: 'status', value: 'submitted' });
    for (const change of changes) {
      appendEvent(this.db, {
        id: this.rt.newId(),
        projectId: this.c.projectId,
        itemId,
        annotatorId,
        change,
        source: 'import',
        schemaVersion: this.c.schemaVersion,
        startedAt: a.startedAt ?? null,
        endedAt: a.endedAt ?? this.now,
        importId: this.c.importId,
      });
    }
    return true;
  }

  private suggestion(itemId: string, s: ImportedSuggestion): void {
    const value = JSON.stringify(s.value);
    const exists = stmt<[string, string, string, string], { one: number }>(
      this.db,
      'SELECT 1 AS one FROM suggestions WHERE item_id = ? AND kind = ? AND model_version = ? AND value_json = ?',
    ).get(itemId, s.kind, s.modelVersion, value);
    if (exists) return;
    stmt(this.db, 'INSERT INTO suggestions (id, item_id, kind, value_json, score, model_version, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)').run(
      this.rt.newId(),
      itemId,
      s.kind,
      value,
      s.score,
      s.modelVersion,
      this.now,
    );
  }
}

function sameList(a: string[] | undefined, b: string[]): boolean {
  if (!a) return false;
  return JSON.stringify([...a].sort()) === JSON.stringify([...b].sort());
}
