export const ERROR_CODES = [
  'VALIDATION',
  'UNKNOWN_CHANNEL',
  'NOT_FOUND',
  'CONFLICT',
  'BAD_FILE',
  'IMPORT_STATE',
  'DB_TOO_NEW',
  'CANCELLED',
  'MODEL_UNAVAILABLE',
  'FILE_NOT_GRANTED',
  'FORBIDDEN',
  'DISK_FULL',
  'DB_BUSY',
  'DB_CORRUPT',
  'DB_READONLY',
  'INTERNAL',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

export interface AppErrorPayload {
  code: ErrorCode;
  /** English, for logs and the CLI; the renderer shows a localized text chosen by `code`. */
  message: string;
  /** Values the localized message may use (file, line, name …). */
  details?: Record<string, string | number | boolean | null>;
}

/** An error meant for the user. Anything else thrown in the core surfaces as INTERNAL. */
export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: AppErrorPayload['details'],
  ) {
    super(message);
    this.name = 'AppError';
  }
  toPayload(): AppErrorPayload {
    return this.details ? { code: this.code, message: this.message, details: this.details } : { code: this.code, message: this.message };
  }
}

export type Result<T> = { ok: true; value: T } | { ok: false; error: AppErrorPayload };
