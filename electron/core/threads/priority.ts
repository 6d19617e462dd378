import { execFileSync } from 'node:child_process';
import { readlinkSync } from 'node:fs';
import { setPriority } from 'node:os';

/** What a job thread got: Linux lets a thread lower its own priority; elsewhere it runs as it is. */
export type ThreadPriority = 'idle' | 'nice' | 'unchanged';

/**
 * Makes the calling thread yield the CPU to the app's interactive threads. On Linux the thread
 * takes SCHED_IDLE (a normal thread that wakes up preempts it at once; with a nice value alone the
 * scheduler lets the running job finish its slice, about a millisecond, first: measured as a 3x
 * labeling p95 on two cores) and niceness 19. Only Linux offers per-thread priorities through
 * Node; on other systems job threads keep the normal priority.
 */
export function lowerThreadPriority(): ThreadPriority {
  if (process.platform !== 'linux') return 'unchanged';
  let tid: number;
  try {
    tid = Number(readlinkSync('/proc/thread-self').split('/').pop());
  } catch {
    return 'unchanged';
  }
  let result: ThreadPriority = 'unchanged';
  try {
    setPriority(tid, 19);
    result = 'nice';
  } catch {
    // not permitted: keep going
  }
  try {
    execFileSync('chrt', ['--idle', '--pid', '0', String(tid)], { stdio: 'ignore', timeout: 2000 });
    result = 'idle';
  } catch {
    // chrt (util-linux) missing or refused
  }
  return result;
}
