import { randomBytes } from 'node:crypto';
import { AppError } from '../../../shared/contract/errors';
import type { FilePurpose } from '../../../shared/contract/schemas';

/** A token the user did not just pick in a dialog is worthless after this long. */
export const GRANT_TTL_MS = 30 * 60_000;

interface Grant {
  path: string;
  purpose: FilePurpose;
  expires: number;
}

/**
 * The renderer never names a file: the shell's own dialogs hand the core the paths the user chose,
 * and the renderer gets an opaque token for each. A token is good for the one job it was issued for
 * (an import, a model folder …): `peek` reads the path for that job's preparation (inspecting a file
 * before importing it) and `spend` takes it for the job itself, after which it is gone.
 */
export class FileGrants {
  private readonly grants = new Map<string, Grant>();

  constructor(private readonly now: () => number = Date.now) {}

  grant(path: string, purpose: FilePurpose): string {
    this.sweep();
    const token = randomBytes(24).toString('base64url');
    this.grants.set(token, { path, purpose, expires: this.now() + GRANT_TTL_MS });
    return token;
  }

  /** Takes over a grant made on another thread under the same token (a call forwarded to a job thread). */
  adopt(token: string, path: string, purpose: FilePurpose): void {
    this.grants.set(token, { path, purpose, expires: this.now() + GRANT_TTL_MS });
  }

  peek(token: string, purpose: FilePurpose): string {
    return this.find(token, purpose).path;
  }

  spend(token: string, purpose: FilePurpose): string {
    const { path } = this.find(token, purpose);
    this.grants.delete(token);
    return path;
  }

  private find(token: string, purpose: FilePurpose): Grant {
    const grant = this.grants.get(token);
    if (!grant || grant.expires < this.now() || grant.purpose !== purpose) {
      throw new AppError(
        'FILE_NOT_GRANTED',
        `this ${purpose} file was not chosen in the app's file dialog (or its token was used or expired): choose it again`,
        { purpose },
      );
    }
    return grant;
  }

  private sweep(): void {
    const now = this.now();
    for (const [token, grant] of this.grants) if (grant.expires < now) this.grants.delete(token);
  }
}
