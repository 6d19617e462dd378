import type { CoreChannel, Output, ParsedInput } from '../../../shared/contract';
import { EncodedValue } from '../../../shared/contract/encoded';
import { AppError } from '../../../shared/contract/errors';
import type { ForwardedGrant, JobForwarder, JobLane } from '../context';
import { JobThread, type JobThreadConfig } from './jobThread';

/**
 * The job threads of one core: one per lane, so a report does not wait for an import and a search
 * does not wait for a report. The core thread forwards a long channel's (already validated) input;
 * the job thread validates it again, runs it on its own connection and answers a Result.
 */
export class JobPool implements JobForwarder {
  private readonly threads = new Map<JobLane, JobThread>();
  /** After close() or halt() (a damaged file): no more checkpoints, which would start the maintenance thread again. */
  private stopped = false;

  constructor(private readonly config: JobThreadConfig) {}

  async forward<C extends CoreChannel>(lane: JobLane, channel: C, input: ParsedInput<C>, grants?: ForwardedGrant[]): Promise<EncodedValue> {
    const result = await this.thread(lane).call(channel, input, grants);
    if (!result.ok) throw new AppError(result.error.code, result.error.message, result.error.details);
    if (!(result.value instanceof EncodedValue)) throw new AppError('INTERNAL', `the ${lane} job thread answered ${channel} in an unknown form`);
    return result.value;
  }

  async call<C extends CoreChannel>(lane: JobLane, channel: C, input: ParsedInput<C>): Promise<Output<C>> {
    return (await this.forward(lane, channel, input)).decode() as Output<C>;
  }

  /** Starts a lane's thread now (an interrupted import resumes when the imports thread starts). */
  async wake(lane: JobLane): Promise<void> {
    await this.thread(lane).start();
  }

  /** Copies the WAL back into the database on the maintenance thread (never on the core thread). */
  checkpoint(): Promise<{ walFrames: number; checkpointed: number }> {
    if (this.stopped) return Promise.resolve({ walFrames: -1, checkpointed: -1 });
    return this.thread('maintenance').checkpoint();
  }

  async close(): Promise<void> {
    this.stopped = true;
    await Promise.all([...this.threads.values()].map((t) => t.close()));
  }

  /** The database is damaged: every job thread stops now (a write under way is rolled back), later ones open it read-only. */
  async halt(): Promise<void> {
    this.stopped = true;
    await Promise.all([...this.threads.values()].map((t) => t.halt()));
  }

  private thread(lane: JobLane): JobThread {
    let thread = this.threads.get(lane);
    if (!thread) this.threads.set(lane, (thread = new JobThread(lane, this.config)));
    return thread;
  }
}
