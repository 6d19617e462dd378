import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { partialDirName, partialOwner, removeStalePartials } from '../../../electron/core/export/bundle';
import { freshDir } from '../helpers';

/** The pid of a process that has exited. */
function deadPid(): number {
  const r = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
  return Number(r.stdout);
}

describe('bundle partial folders', () => {
  it('are hidden and name their writer; the next export removes those of dead processes only', async () => {
    const out = freshDir('annot-bundle-');
    const dead = deadPid();
    expect(partialDirName('项目-20261201', 123)).toBe('.项目-20261201.partial-123');
    expect(partialOwner('.项目-20261201.partial-123')).toBe(123);
    expect(partialOwner('项目-20261201')).toBeNull();
    expect(partialOwner('.x.partial-')).toBeNull();
    const mkdir = (name: string) => {
      fs.mkdirSync(path.join(out, name));
      fs.writeFileSync(path.join(out, name, 'manifest.json'), '{}');
    };
    mkdir(partialDirName('a', dead)); // a crashed export
    mkdir(partialDirName('b', process.pid)); // one running in this process
    mkdir(partialDirName('c', process.ppid)); // one running in another live process
    mkdir('a'); // a bundle
    fs.writeFileSync(path.join(out, `.d.partial-${dead}`), 'a file, not a folder');
    expect(await removeStalePartials(out)).toEqual([partialDirName('a', dead)]);
    expect(fs.readdirSync(out).sort()).toEqual(
      [`.d.partial-${dead}`, partialDirName('b', process.pid), partialDirName('c', process.ppid), 'a'].sort(),
    );
    expect(await removeStalePartials(path.join(out, 'missing'))).toEqual([]);
  });
});
