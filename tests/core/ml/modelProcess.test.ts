import { getPriority } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ModelHost } from '../../../electron/core/ml/modelHost';
import { CHILD_NICENESS } from '../../../electron/core/ml/processClient';
import { modelWorker } from '../../../electron/core/ml/modelWorker';
import { REPO_ROOT } from '../helpers';

const host = () => new ModelHost({ modelRoot: path.join(REPO_ROOT, 'resources', 'models') });

/** The child process behind the shared model client (private: reached for the test only). */
const child = () => (modelWorker() as unknown as { child: { pid: number; kill(signal: string): boolean } | null }).child;

describe('the model process', () => {
  it('runs below the app’s priority; a crash fails what was pending, and the next request starts it again', async () => {
    const model = host();
    const [first] = await model.embed(['你好']);
    expect(first).toHaveLength(512);
    const pid = child()!.pid;
    expect(getPriority(pid)).toBe(Math.min(19, getPriority() + CHILD_NICENESS));

    const pending = model.embed(Array.from({ length: 256 }, (_, i) => `我的订单${i}怎么还没到，已经等了很久了`));
    child()!.kill('SIGKILL');
    await expect(pending).rejects.toThrow(/model process stopped/);

    const [again] = await host().embed(['你好']);
    expect(child()!.pid).not.toBe(pid);
    for (let i = 0; i < 512; i++) expect(again![i]).toBeCloseTo(first![i]!, 5);
  }, 60_000);
});
