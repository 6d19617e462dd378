import { spawn } from 'node:child_process';
import { readlinkSync, writeSync } from 'node:fs';
import { setPriority } from 'node:os';

/** The niceness of job threads: the lowest there is. */
export const JOB_NICENESS = 19;

/** What a job thread got: SCHED_IDLE and niceness 19 (Linux), niceness only, or nothing (other systems). */
export type ThreadPriority = 'idle' | 'nice' | 'unchanged';

/** The file descriptor of the priority helper's stdin, passed to threads through their environment. */
const HELPER_FD = 'ANNOT_IDLE_PRIORITY_FD';

/**
 * Starts, once, a tiny shell that gives the threads it is told about the SCHED_IDLE policy (chrt).
 * Niceness alone is not enough: with the EEVDF scheduler a running thread of niceness 19 keeps the
 * CPU for the rest of its slice when a normal thread wakes up (measured: the labeling thread's replies
 * 2.5 ms late at p95 while a search ran); a SCHED_IDLE thread is preempted at once. Node cannot set a
 * thread's policy itself, and starting chrt from a thread of a big process stalls every thread of it
 * (a fork copies the page tables: 40 ms at 800 MB, a thread ping-pong's p95 2.5 ms meanwhile), so the
 * helper is started while the process is still small, and forks the small chrt itself.
 * Call it on the core thread before any job thread starts; threads started after it find it.
 */
export function startPriorityHelper(): void {
  if (process.platform !== 'linux' || process.env[HELPER_FD]) return;
  try {
    const helper = spawn(
      'sh',
      ['-c', 'while read kind id; do if [ "$kind" = all ]; then chrt --idle --all-tasks --pid 0 "$id"; else chrt --idle --pid 0 "$kind"; fi; done'],
      { stdio: ['pipe', 'ignore', 'ignore'] },
    );
    helper.on('error', () => undefined);
    helper.stdin.on('error', () => undefined);
    const fd = (helper.stdin as unknown as { _handle?: { fd?: number } })._handle?.fd;
    if (typeof fd !== 'number' || fd < 0) return;
    helper.unref();
    (helper.stdin as unknown as { unref?(): void }).unref?.();
    process.env[HELPER_FD] = String(fd);
  } catch {
    // no shell: job threads keep niceness 19 only
  }
}

function tellHelper(line: string): boolean {
  const fd = Number(process.env[HELPER_FD]);
  if (!Number.isInteger(fd) || fd < 0) return false;
  try {
    writeSync(fd, `${line}\n`);
    return true;
  } catch {
    return false;
  }
}

/**
 * Makes the calling thread give way to the app's interactive threads: niceness 19 at once
 * (os.setPriority on the thread's id), SCHED_IDLE a moment later through the helper. Only Linux
 * offers per-thread priorities to Node; elsewhere job threads keep the normal priority.
 */
export function lowerThreadPriority(): ThreadPriority {
  if (process.platform !== 'linux') return 'unchanged';
  let tid: number;
  try {
    tid = Number(readlinkSync('/proc/thread-self').split('/').pop());
    setPriority(tid, JOB_NICENESS);
  } catch {
    return 'unchanged';
  }
  return tellHelper(String(tid)) ? 'idle' : 'nice';
}

/** The same for a child process and all its threads (the model's process). */
export function lowerProcessPriority(pid: number): void {
  if (process.platform === 'linux') tellHelper(`all ${pid}`);
}
