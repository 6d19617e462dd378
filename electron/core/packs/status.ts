import type { PackStatus, ReceivedPack } from '../../../shared/contract/packs';
import type { DB } from '../db/open';
import { GOLD_ANNOTATOR_NAME } from '../services/reports/load';

/** The lead's view of a project's packs: per pack issued, done (as merged), returns, gold answered and right. */
export function packStatus(db: DB, projectId: string, now: string): PackStatus[] {
  const rows = db
    .prepare(
      `SELECT p.id, p.assignment_id, p.reissue_of, p.annotator_id, a.name, p.items, p.gold, p.issued_at, p.expires_at,
         (SELECT count(*) FROM pack_items pi JOIN annotations n ON n.item_id = pi.item_id AND n.annotator_id = p.annotator_id
           WHERE pi.pack_id = p.id AND n.status IN ('submitted', 'skipped')) AS done,
         (SELECT count(*) FROM result_packs r WHERE r.pack_id = p.id) AS returns,
         (SELECT max(merged_at) FROM result_packs r WHERE r.pack_id = p.id) AS last_return,
         (SELECT coalesce(max(late), 0) FROM result_packs r WHERE r.pack_id = p.id) AS late,
         (SELECT count(*) FROM pack_items pi JOIN annotations n ON n.item_id = pi.item_id AND n.annotator_id = p.annotator_id
           WHERE pi.pack_id = p.id AND pi.is_gold = 1 AND n.status = 'submitted') AS gold_answered,
         (SELECT count(*) FROM pack_items pi JOIN annotations n ON n.item_id = pi.item_id AND n.annotator_id = p.annotator_id
           JOIN annotations g ON g.item_id = pi.item_id AND g.annotator_id IN (SELECT id FROM annotators WHERE name = ?)
           WHERE pi.pack_id = p.id AND pi.is_gold = 1 AND n.status = 'submitted' AND n.intents_json = g.intents_json) AS gold_correct
       FROM packs p JOIN annotators a ON a.id = p.annotator_id WHERE p.project_id = ? ORDER BY p.issued_at DESC, a.name`,
    )
    .all(GOLD_ANNOTATOR_NAME, projectId) as {
    id: string;
    assignment_id: string;
    reissue_of: string | null;
    annotator_id: string;
    name: string;
    items: number;
    gold: number;
    issued_at: string;
    expires_at: string;
    done: number;
    returns: number;
    last_return: string | null;
    late: number;
    gold_answered: number;
    gold_correct: number;
  }[];
  return rows.map((r) => ({
    packId: r.id,
    assignmentId: r.assignment_id,
    reissueOf: r.reissue_of,
    annotatorId: r.annotator_id,
    annotator: r.name,
    items: r.items,
    gold: r.gold,
    issuedAt: r.issued_at,
    expiresAt: r.expires_at,
    expired: r.expires_at <= now,
    done: r.done,
    returns: r.returns,
    lastReturn: r.last_return,
    late: r.late === 1,
    goldAnswered: r.gold_answered,
    goldCorrect: r.gold_correct,
  }));
}

/** The annotator's view: the packs of a project opened here, how far they got, when each is due, the lead's feedback. */
export function receivedPacks(db: DB, projectId: string, annotatorId: string, now: string): ReceivedPack[] {
  const packs = db
    .prepare(
      `SELECT p.pack_id, p.expires_at, p.opened_at,
         (SELECT count(*) FROM received_pack_items r WHERE r.pack_id = p.pack_id) AS items,
         (SELECT count(*) FROM received_pack_items r JOIN annotations n ON n.item_id = r.item_id AND n.annotator_id = p.annotator_id
           WHERE r.pack_id = p.pack_id AND n.status IN ('submitted', 'skipped')) AS done
       FROM received_packs p WHERE p.project_id = ? AND p.annotator_id = ? ORDER BY p.opened_at`,
    )
    .all(projectId, annotatorId) as { pack_id: string; expires_at: string; opened_at: string; items: number; done: number }[];
  const feedback = db.prepare('SELECT text, field, submitted_json, adjudicated_json, reason_code, reason_label FROM pack_feedback WHERE pack_id = ? ORDER BY seq');
  return packs.map((p) => ({
    packId: p.pack_id,
    items: p.items,
    done: p.done,
    expiresAt: p.expires_at,
    expired: p.expires_at <= now,
    openedAt: p.opened_at,
    feedback: (feedback.all(p.pack_id) as { text: string; field: string; submitted_json: string; adjudicated_json: string; reason_code: string | null; reason_label: string | null }[]).map(
      (f) => ({ text: f.text, field: f.field, yours: JSON.parse(f.submitted_json) as unknown, adjudicated: JSON.parse(f.adjudicated_json) as unknown, reasonCode: f.reason_code, reason: f.reason_label }),
    ),
  }));
}
