import fs from 'node:fs';
import path from 'node:path';
import type { DB } from '../db/open';
import { getAnnotator } from '../db/repos/annotators';
import { currentSchema, getProject } from '../db/repos/projects';
import { writeTransaction } from '../db/write';
import { projectPseudonymKey } from '../export/pipeline';
import { personalEntityTypes, redactText, type RedactionMode } from '../redaction';
import type { Runtime } from '../runtime';
import { annotatorFeedback } from '../services/adjudication/feedback';
import { writeSignedArchive } from './archive';
import { dialogueContexts } from './context';
import { PACK_FORMAT, PACK_VERSION, type PackFeedbackLine, type PackItemLine, type PackManifestBody } from './format';
import type { Signer } from './keys';
import type { AnnotatorPlan } from './plan';
import { goldFreeSuggestions, type PackSuggestion } from './suggestions';

const MAX_FEEDBACK = 500;

export interface PackSpec {
  projectId: string;
  assignmentId: string;
  plans: AnnotatorPlan[];
  issuedAt: string;
  expiresAt: string;
  metaFields: string[];
  redact: 'none' | RedactionMode;
  /** Carry the local model's suggestions (from heads not trained on gold items). */
  suggestions?: boolean;
  /** The pack of which these are a reissue (its unreturned items), or none. */
  reissueOf?: string | null;
  fileName(annotator: string, packId: string): string;
  /** Written in the same transaction as the packs (the assignment row of a new assignment). */
  record?: () => void;
}

export interface WrittenPack {
  annotator: string;
  file: string;
  items: number;
  gold: number;
}

/**
 * Writes one signed pack per plan into `outDir` (each under a temporary name), records them with
 * their pack-local ids in one transaction, then renames the files: a crash leaves no pack the
 * database does not know, and no half-written file under a pack's name.
 */
export function writePacks(db: DB, rt: Runtime, signer: Signer, spec: PackSpec, outDir: string): WrittenPack[] {
  const project = getProject(db, spec.projectId);
  const schema = currentSchema(db, spec.projectId);
  const guideline = db
    .prepare('SELECT version, markdown FROM guidelines WHERE project_id = ? ORDER BY version DESC LIMIT 1')
    .get(spec.projectId) as { version: number; markdown: string } | undefined;
  const key = spec.redact === 'pseudonym' ? projectPseudonymKey(db, spec.projectId) : undefined;
  const personalTypes = personalEntityTypes(schema);
  const redact = spec.redact;
  const clean = (text: string) => (redact === 'none' ? text : redactText(text, { mode: redact, key, personalTypes }).text);
  const contexts = dialogueContexts(db, spec.projectId, new Set(spec.plans.flatMap((p) => p.items.map((i) => i.itemId))));
  const itemRow = db.prepare('SELECT text, meta_json FROM items WHERE id = ?');
  const suggested: Map<string, PackSuggestion[]> = spec.suggestions ? goldFreeSuggestions(db, spec.projectId, [...new Set(spec.plans.flatMap((p) => p.items.map((i) => i.itemId)))]) : new Map();
  fs.mkdirSync(outDir, { recursive: true });

  const written: { plan: AnnotatorPlan; packId: string; name: string; file: string; temp: string }[] = [];
  try {
    for (const p of spec.plans) {
      const annotator = getAnnotator(db, p.annotator)!;
      const packId = rt.newId();
      const lines = p.items.map(({ itemId }, i) => {
        const row = itemRow.get(itemId) as { text: string; meta_json: string };
        const meta = JSON.parse(row.meta_json) as Record<string, unknown>;
        const line: PackItemLine = { id: i + 1, text: clean(row.text), meta: Object.fromEntries(spec.metaFields.filter((f) => f in meta).map((f) => [f, meta[f]])) };
        const context = contexts.get(itemId);
        if (context) line.context = context.map((t) => ({ speaker: t.speaker, text: clean(t.text) }));
        return JSON.stringify(line);
      });
      const suggestionLines = p.items.flatMap(({ itemId }, i) => (suggested.get(itemId) ?? []).map((s) => JSON.stringify({ item: i + 1, ...s })));
      const feedback: PackFeedbackLine[] = annotatorFeedback(db, spec.projectId, annotator.id)
        .rows.slice(0, MAX_FEEDBACK)
        .map((r) => ({ text: clean(r.text), field: r.field, yours: r.yours, adjudicated: r.adjudicated, reason_code: r.reasonCode, reason: r.reasonLabel }));
      const manifest: PackManifestBody = {
        format: PACK_FORMAT,
        version: PACK_VERSION,
        pack_id: packId,
        assignment_id: spec.assignmentId,
        project: { id: project.id, name: project.name },
        schema_version: project.schemaVersion,
        guideline_version: guideline?.version ?? null,
        annotator: annotator.name,
        issued_at: spec.issuedAt,
        expires_at: spec.expiresAt,
        counts: { items: p.items.length, feedback: feedback.length, suggestions: suggestionLines.length },
        meta_fields: spec.metaFields,
        redaction: redact,
      };
      const bytes = writeSignedArchive(
        manifest,
        {
          'schema.json': JSON.stringify(schema, null, 2) + '\n',
          'guideline.md': guideline?.markdown ?? '',
          'items.jsonl': lines.length ? lines.join('\n') + '\n' : '',
          'feedback.jsonl': feedback.map((f) => JSON.stringify(f)).join('\n') + (feedback.length ? '\n' : ''),
          ...(spec.suggestions ? { 'suggestions.jsonl': suggestionLines.join('\n') + (suggestionLines.length ? '\n' : '') } : {}),
        },
        signer,
      );
      const file = path.join(outDir, spec.fileName(annotator.name, packId));
      const temp = `${file}.partial-${process.pid}`;
      fs.writeFileSync(temp, bytes);
      written.push({ plan: p, packId, name: annotator.name, file, temp });
    }
    writeTransaction(db, () => {
      spec.record?.();
      const pack = db.prepare(
        'INSERT INTO packs (id, assignment_id, project_id, annotator_id, items, gold, schema_version, expires_at, issued_at, reissue_of) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
      );
      const item = db.prepare('INSERT INTO pack_items (pack_id, local_id, item_id, is_gold) VALUES (?, ?, ?, ?)');
      for (const w of written) {
        pack.run(w.packId, spec.assignmentId, spec.projectId, w.plan.annotator, w.plan.items.length, w.plan.gold, project.schemaVersion, spec.expiresAt, spec.issuedAt, spec.reissueOf ?? null);
        w.plan.items.forEach((it, i) => item.run(w.packId, i + 1, it.itemId, it.gold ? 1 : 0));
      }
    });
  } catch (error) {
    for (const w of written) fs.rmSync(w.temp, { force: true });
    throw error;
  }
  for (const w of written) fs.renameSync(w.temp, w.file);
  return written.map((w) => ({ annotator: w.name, file: w.file, items: w.plan.items.length, gold: w.plan.gold }));
}
