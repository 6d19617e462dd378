/**
 * The bundle folder's life: written as `outDir/.<name>.partial-<pid>`, renamed to `outDir/<name>`
 * only once every file and manifest.json (last, listing every other file with its rows, bytes and
 * sha256) are complete. A kill at any moment leaves at most a `.partial-` folder, which is hidden and
 * never has the bundle's name; the next export into the same folder removes those of processes that
 * are gone.
 */
import { createHash } from 'node:crypto';
import { createReadStream, type Dirent } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';

const PARTIAL = /^\.(.+)\.partial-(\d+)$/;

export function partialDirName(name: string, pid = process.pid): string {
  return `.${name}.partial-${pid}`;
}

/** The pid a partial folder's name was written by, or null for any other name. */
export function partialOwner(entry: string): number | null {
  const m = PARTIAL.exec(entry);
  return m ? Number(m[2]) : null;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists, owned by someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Removes the partial folders in `outDir` left by processes that no longer run; returns their names. */
export async function removeStalePartials(outDir: string): Promise<string[]> {
  const removed: string[] = [];
  let entries: Dirent[];
  try {
    entries = await fs.readdir(outDir, { withFileTypes: true });
  } catch {
    return removed;
  }
  for (const entry of entries) {
    const pid = partialOwner(entry.name);
    if (pid === null || !entry.isDirectory() || pid === process.pid || alive(pid)) continue;
    await fs.rm(path.join(outDir, entry.name), { recursive: true, force: true });
    removed.push(entry.name);
  }
  return removed;
}

export async function sha256File(file: string): Promise<{ sha256: string; bytes: number }> {
  const hash = createHash('sha256');
  let bytes = 0;
  for await (const chunk of createReadStream(file, { highWaterMark: 1 << 20 })) {
    hash.update(chunk as Buffer);
    bytes += (chunk as Buffer).length;
  }
  return { sha256: hash.digest('hex'), bytes };
}

export interface BundleFile {
  path: string;
  /** Records in a data file; null for the card, guideline, scripts. */
  rows: number | null;
  bytes: number;
  sha256: string;
}

/** Hashes the files of the partial folder, in the order given. */
export async function describeFiles(partial: string, files: readonly { path: string; rows: number | null }[]): Promise<BundleFile[]> {
  const out: BundleFile[] = [];
  for (const f of files) {
    const { sha256, bytes } = await sha256File(path.join(partial, f.path));
    out.push({ path: f.path, rows: f.rows, bytes, sha256 });
  }
  return out;
}

/** Writes manifest.json into the partial folder, then renames the folder to its final name. */
export async function publishBundle(partial: string, finalDir: string, manifest: object): Promise<void> {
  await fs.writeFile(path.join(partial, 'manifest.json'), JSON.stringify(manifest, null, 2) + '\n');
  await fs.rename(partial, finalDir);
}
