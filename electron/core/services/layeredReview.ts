import { AppError } from '../../../shared/contract/errors';
import type { AuditStatus, ReviewPlan } from '../../../shared/contract/schemas';
import type { DB } from '../db/open';
import { stmt } from '../db/statements';
import { appendEvent } from '../db/repos/annotations';
import { beginAction } from '../db/repos/actions';
import { currentSchema, getProject } from '../db/repos/projects';
import { mulberry32 } from '../ml/metrics';
import type { Runtime } from '../runtime';
import { writeTransaction } from '../db/write';

/** Accept the confident rest only when a person agreed with the model on this share of the sample. */
export const DEFAULT_MIN_AGREEMENT = 0.9;

/**
 * Keeps an audit's `accepted` in step with undo and redo of its bulk acceptance (one action): null
 * once the action is undone, the number of items it accepted once it is redone. Call inside the
 * transaction that reverts or re-applies the action.
 */
export function auditFollowsAction(db: DB, actionId: string, done: boolean): void {
  stmt(
    db,
    `UPDATE audits SET accepted = CASE WHEN ? THEN (SELECT count(DISTINCT e.item_id) FROM annotation_events e WHERE e.action_id = audits.action_id)
     END WHERE action_id = ?`,
  ).run(done ? 1 : 0, actionId);
}

/** Items nobody labeled whose intent suggestion is confident and not high-risk: the machine's share. */
const CONFIDENT = `FROM suggestions s JOIN items i ON i.id = s.item_id
  WHERE i.project_id = @projectId AND s.kind = 'intents' AND s.priority IS NOT NULL AND s.priority >= 0 AND s.score >= @threshold
    AND NOT EXISTS (SELECT 1 FROM annotations a WHERE a.item_id = i.id)`;

/**
 * Layered review: the model labels first, people check what is risky. Items split into the
 * confident (accepted in bulk after a person checks a random sample of them) and the rest
 * (low confidence or a high-risk intent), which people label first in the review queue.
 */
export class LayeredReview {
  constructor(
    private readonly db: DB,
    private readonly rt: Runtime,
  ) {}

  plan(projectId: string, threshold: number): ReviewPlan {
    getProject(this.db, projectId);
    const count = (sql: string) => stmt<[Record<string, unknown>], { n: number }>(this.db, sql).get({ projectId, threshold })?.n ?? 0;
    const unlabeled = 'NOT EXISTS (SELECT 1 FROM annotations a WHERE a.item_id = i.id)';
    const confident = count(`SELECT count(*) AS n ${CONFIDENT}`);
    const suggested = count(
      `SELECT count(*) AS n FROM suggestions s JOIN items i ON i.id = s.item_id WHERE i.project_id = @projectId AND s.kind = 'intents' AND s.priority IS NOT NULL AND ${unlabeled}`,
    );
    const highRisk = count(
      `SELECT count(*) AS n FROM suggestions s JOIN items i ON i.id = s.item_id WHERE i.project_id = @projectId AND s.kind = 'intents' AND s.priority < 0 AND ${unlabeled}`,
    );
    const unlabeledItems = count(`SELECT count(*) AS n FROM items i WHERE i.project_id = @projectId AND ${unlabeled}`);
    return { threshold, confident, toPeople: suggested - confident, highRisk, withoutSuggestion: unlabeledItems - suggested };
  }

  /** Draws a random sample of the confident items for a person to check. */
  startAudit(projectId: string, threshold: number, size: number, seed = Date.now()): AuditStatus {
    const ids = stmt<[Record<string, unknown>], { id: string }>(this.db, `SELECT i.id AS id ${CONFIDENT} ORDER BY i.ord`)
      .all({ projectId, threshold })
      .map((r) => r.id);
    if (!ids.length) throw new AppError('VALIDATION', `no unlabeled item has a suggestion at least ${threshold} confident`);
    const rng = mulberry32(seed);
    for (let i = ids.length - 1; i > 0; i--) {
      const j = Math.floor(rng() * (i + 1));
      [ids[i], ids[j]] = [ids[j]!, ids[i]!];
    }
    const id = this.rt.newId();
    writeTransaction(this.db, () =>
      stmt(this.db, 'INSERT INTO audits (id, project_id, threshold, item_ids_json, created_at) VALUES (?, ?, ?, ?, ?)').run(
        id,
        projectId,
        threshold,
        JSON.stringify(ids.slice(0, size)),
        this.rt.now().toISOString(),
      ),
    );
    return this.status(id, null);
  }

  status(auditId: string, annotatorId: string | null): AuditStatus {
    const audit = stmt<[string], { project_id: string; threshold: number; item_ids_json: string; accepted: number | null }>(
      this.db,
      'SELECT project_id, threshold, item_ids_json, accepted FROM audits WHERE id = ?',
    ).get(auditId);
    if (!audit) throw new AppError('NOT_FOUND', `no audit with id ${auditId}`, { auditId });
    const ids = JSON.parse(audit.item_ids_json) as string[];
    const row = stmt<[string, string | null], { checked: number; agreed: number }>(
      this.db,
      `SELECT count(*) AS checked, coalesce(sum(json_extract(a.intents_json, '$[0]') = json_extract(s.value_json, '$[0]')), 0) AS agreed
       FROM json_each(?) j JOIN annotations a ON a.item_id = j.value AND a.annotator_id = ? AND a.status = 'submitted'
       LEFT JOIN suggestions s ON s.item_id = j.value AND s.kind = 'intents' AND s.priority IS NOT NULL`,
    ).get(audit.item_ids_json, annotatorId);
    const checked = row?.checked ?? 0;
    const agreed = row?.agreed ?? 0;
    return {
      id: auditId,
      projectId: audit.project_id,
      threshold: audit.threshold,
      size: ids.length,
      checked,
      agreed,
      agreement: checked ? agreed / checked : null,
      accepted: audit.accepted,
    };
  }

  /**
   * Accepts the model's intent (and sentiment) for every confident item nobody has labeled, as this
   * annotator's decision with source accepted-suggestion — only once the whole sample is checked
   * and agreement reached the bar. One transaction and one action over all the items (one undo
   * step), with the audit marked accepted in it: a failure anywhere leaves nothing.
   */
  acceptConfident(auditId: string, annotatorId: string, minAgreement = DEFAULT_MIN_AGREEMENT): AuditStatus {
    const audit = this.status(auditId, annotatorId);
    if (audit.accepted !== null) throw new AppError('CONFLICT', 'this audit was already used to accept suggestions');
    if (audit.checked < audit.size) throw new AppError('VALIDATION', `check the whole sample first (${audit.checked} of ${audit.size} done)`);
    if ((audit.agreement ?? 0) < minAgreement) {
      throw new AppError(
        'VALIDATION',
        `the sample agreed with the model on ${Math.round((audit.agreement ?? 0) * 100)}%, below ${Math.round(minAgreement * 100)}%`,
      );
    }
    const projectId = audit.projectId;
    const schemaVersion = getProject(this.db, projectId).schemaVersion;
    const levels = new Set(currentSchema(this.db, projectId).sentiment.levels.map((l) => l.name));
    const now = this.rt.now().toISOString();
    writeTransaction(this.db, () => {
      // Checked again here: another call may have used the audit since.
      if (stmt<[string], { accepted: number | null }>(this.db, 'SELECT accepted FROM audits WHERE id = ?').get(auditId)?.accepted !== null) {
        throw new AppError('CONFLICT', 'this audit was already used to accept suggestions');
      }
      const rows = stmt<[Record<string, unknown>], { item_id: string; intents: string; sentiment: string | null }>(
        this.db,
        `SELECT i.id AS item_id, s.value_json AS intents,
           (SELECT json_extract(t.value_json, '$') FROM suggestions t WHERE t.item_id = i.id AND t.kind = 'sentiment' ORDER BY t.created_at DESC LIMIT 1) AS sentiment
         ${CONFIDENT} ORDER BY i.ord`,
      ).all({ projectId, threshold: audit.threshold });
      if (!rows.length) {
        stmt(this.db, 'UPDATE audits SET accepted = 0 WHERE id = ?').run(auditId);
        return;
      }
      const actionId = this.rt.newId();
      beginAction(this.db, { id: actionId, projectId, annotatorId, itemId: rows[0]!.item_id, now });
      for (const r of rows) {
        const changes = [
          { kind: 'intents' as const, value: JSON.parse(r.intents) as string[] },
          ...(r.sentiment && levels.has(r.sentiment) ? [{ kind: 'sentiment' as const, value: r.sentiment }] : []),
          { kind: 'status' as const, value: 'submitted' as const },
        ];
        for (const change of changes) {
          appendEvent(this.db, {
            id: this.rt.newId(),
            projectId,
            itemId: r.item_id,
            annotatorId,
            change,
            source: 'accepted-suggestion',
            schemaVersion,
            startedAt: null,
            endedAt: now,
            actionId,
          });
        }
      }
      stmt(this.db, 'UPDATE audits SET accepted = ?, action_id = ? WHERE id = ?').run(rows.length, actionId, auditId);
    });
    return this.status(auditId, annotatorId);
  }
}
