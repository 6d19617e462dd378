import type { CoreChannel, EventName, EventPayload, Handlers, Output, ParsedInput } from '../../shared/contract';
import type { EncodedValue } from '../../shared/contract/encoded';
import { AppError } from '../../shared/contract/errors';
import { runsInBackground } from './jobs/backgroundChannels';
import type { DB } from './db/open';
import type { DatabaseGuard } from './handlers/database';
import type { FileGrants } from './files/grants';
import type { FilePurpose } from '../../shared/contract/schemas';
import type { ModelHost } from './ml/modelHost';
import type { Runtime } from './runtime';
import type { ExportService } from './services/exports';
import type { Signer } from './packs/keys';
import type { ImportService } from './services/imports';
import type { ItemBrowser } from './services/items';
import type { LabelingService } from './services/labeling';
import type { LayeredReview } from './services/layeredReview';
import type { AdjudicationService } from './services/adjudication';
import type { PrelabelService } from './services/prelabel';

export type Emit = <E extends EventName>(event: E, payload: EventPayload<E>) => void;

/** The job threads a long channel can run on, each with its own connection (see jobs/jobPool.ts). */
export type JobLane = 'imports' | 'exports' | 'reports' | 'reader' | 'bulk' | 'maintenance';

/** A file grant that travels with a forwarded call, so the job thread can resolve the same token. */
export interface ForwardedGrant {
  token: string;
  path: string;
  purpose: FilePurpose;
}

export interface JobForwarder {
  /** The job thread's answer, validated there, as JSON bytes for the caller to decode (see shared/contract/encoded.ts). */
  forward<C extends CoreChannel>(lane: JobLane, channel: C, input: ParsedInput<C>, grants?: ForwardedGrant[]): Promise<EncodedValue>;
  /** The same, decoded, for the core's own use of a job thread's answer. */
  call<C extends CoreChannel>(lane: JobLane, channel: C, input: ParsedInput<C>): Promise<Output<C>>;
  /** Stops every job thread once its work reaches a safe point (before a restore replaces the file). */
  close?(): Promise<void>;
  /** Stops every job thread now, and opens later ones read-only (the file is damaged: no writer may go on). */
  halt?(): Promise<void>;
}

/** Everything a feature's handlers need: one database connection and the services over it. */
export interface CoreContext {
  readonly db: DB;
  readonly rt: Runtime;
  readonly dbPath: string;
  readonly version: string;
  readonly nativeBinding: string | undefined;
  readonly emit: Emit;
  readonly grants: FileGrants;
  readonly imports: ImportService;
  readonly exports: ExportService;
  readonly items: ItemBrowser;
  readonly labeling: LabelingService;
  readonly model: ModelHost;
  readonly prelabel: PrelabelService;
  readonly review: LayeredReview;
  readonly adjudication: AdjudicationService;
  /** Null where long channels run in this thread (CLI, tests, and inside a job thread). */
  readonly jobs: JobForwarder | null;
  /** This workstation's Ed25519 key (made on first use; packs and result packs are signed with it). */
  signer(): Signer;
  /** The database file's health, backups and restores (handlers/database.ts). */
  readonly database: DatabaseGuard;
}

/** A feature's share of the contract: the handlers of some of the core's channels. */
export type FeatureHandlers<K extends CoreChannel> = Pick<Handlers<CoreChannel>, K>;

/** Runs a long channel on its job thread when there is one, else here. */
export function offload<C extends CoreChannel>(
  ctx: CoreContext,
  lane: JobLane,
  channel: C,
  input: ParsedInput<C>,
  here: () => ReturnType<Handlers<CoreChannel>[C]>,
  grants?: ForwardedGrant[],
): ReturnType<Handlers<CoreChannel>[C]> | Promise<EncodedValue> {
  if (!ctx.jobs) return here();
  if (!runsInBackground(channel, input)) throw new AppError('INTERNAL', `${channel} runs on a job thread but is not listed in jobs/backgroundChannels.ts`);
  return ctx.jobs.forward(lane, channel, input, grants);
}
