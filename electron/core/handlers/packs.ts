import fs from 'node:fs';
import path from 'node:path';
import { requireProject } from '../guards';
import { offload, type CoreContext, type FeatureHandlers } from '../context';
import { assignmentAnnotators, previewAssignment, safeFileName, writeAssignment } from '../packs/assign';
import { writeTransaction } from '../db/write';
import { mergeResultPacks } from '../packs/merge';
import { reissuePack, topUpDisputed } from '../packs/followUp';
import { openPack } from '../packs/open';
import { returnWork } from '../packs/returnPack';
import { packStatus, receivedPacks } from '../packs/status';
import { getAnnotator } from '../db/repos/annotators';
import { getProject } from '../db/repos/projects';
import { AppError } from '../../../shared/contract/errors';

type PackChannel = 'packs.preview' | 'packs.assign' | 'packs.status' | 'packs.merge' | 'packs.reissue' | 'packs.topUp' | 'packs.open' | 'packs.received' | 'packs.return';

function annotatorName(ctx: CoreContext, id: string): string {
  const a = getAnnotator(ctx.db, id);
  if (!a) throw new AppError('NOT_FOUND', `no annotator ${id}`, { annotatorId: id });
  return a.name;
}

/** A file written whole or not at all: under a temporary name, renamed when complete. */
function writeWhole(file: string, bytes: Uint8Array): void {
  const temp = `${file}.partial-${process.pid}`;
  fs.writeFileSync(temp, bytes);
  fs.renameSync(temp, file);
}

export function packHandlers(ctx: CoreContext): FeatureHandlers<PackChannel> {
  const { db, rt, grants } = ctx;
  return {
    'packs.preview': (input) => previewAssignment(db, rt, input),
    // Planning a million items and writing the packs takes seconds: on a job thread.
    'packs.assign': (input) => {
      const outDir = grants.spend(input.folderToken, 'pack-folder');
      const { folderToken: _token, ...plan } = input;
      return offload(
        ctx,
        'bulk',
        'packs.assign',
        input,
        () => {
          const { annotators, ...rest } = plan;
          const annotatorIds = writeTransaction(db, () => assignmentAnnotators(db, rt, annotators));
          const r = writeAssignment(db, rt, ctx.signer(), { ...rest, annotatorIds }, outDir);
          return { ...r, packs: r.packs.map((p) => ({ ...p, file: path.basename(p.file) })) };
        },
        [{ token: input.folderToken, path: outDir, purpose: 'pack-folder' }],
      );
    },
    'packs.status': ({ projectId }) => {
      requireProject(db, projectId);
      return packStatus(db, projectId, rt.now().toISOString());
    },
    'packs.merge': (input) => {
      const files = input.fileTokens.map((token) => ({ token, path: grants.spend(token, 'result-pack') }));
      return offload(
        ctx,
        'bulk',
        'packs.merge',
        input,
        () => {
          const readable = files.map((f) => ({ name: path.basename(f.path), bytes: fs.readFileSync(f.path) }));
          return mergeResultPacks(db, rt, readable);
        },
        files.map((f) => ({ token: f.token, path: f.path, purpose: 'result-pack' as const })),
      );
    },
    'packs.reissue': (input) => {
      const outDir = grants.spend(input.folderToken, 'pack-folder');
      return offload(
        ctx,
        'bulk',
        'packs.reissue',
        input,
        () => {
          const [annotatorId] = writeTransaction(db, () => assignmentAnnotators(db, rt, [input.annotator]));
          const w = reissuePack(db, rt, ctx.signer(), { packId: input.packId, annotatorId: annotatorId!, expiresDays: input.expiresDays }, outDir);
          return { ...w, file: path.basename(w.file) };
        },
        [{ token: input.folderToken, path: outDir, purpose: 'pack-folder' }],
      );
    },
    'packs.topUp': (input) => {
      const outDir = grants.spend(input.folderToken, 'pack-folder');
      return offload(
        ctx,
        'bulk',
        'packs.topUp',
        input,
        () => {
          const annotatorIds = writeTransaction(db, () => assignmentAnnotators(db, rt, input.annotators));
          return topUpDisputed(db, rt, ctx.signer(), { assignmentId: input.assignmentId, annotatorIds, expiresDays: input.expiresDays }, outDir).map((w) => ({ ...w, file: path.basename(w.file) }));
        },
        [{ token: input.folderToken, path: outDir, purpose: 'pack-folder' }],
      );
    },
    'packs.open': ({ fileToken, annotatorId }) => {
      const file = grants.spend(fileToken, 'pack');
      return openPack(db, rt, fs.readFileSync(file), annotatorName(ctx, annotatorId));
    },
    'packs.received': ({ projectId, annotatorId }) => receivedPacks(db, projectId, annotatorId, rt.now().toISOString()),
    'packs.return': ({ projectId, annotatorId, folderToken }) => {
      const dir = grants.spend(folderToken, 'pack-folder');
      const name = annotatorName(ctx, annotatorId);
      const project = getProject(db, projectId);
      const work = returnWork(db, rt, ctx.signer(), projectId, name);
      const file = safeFileName(`${name}-${project.name}-result.zip`);
      writeWhole(path.join(dir, file), work.bytes);
      return { file, events: work.events, packs: work.packs };
    },
  };
}
