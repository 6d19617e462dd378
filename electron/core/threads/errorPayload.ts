import { AppError, type AppErrorPayload } from '../../../shared/contract/errors';

/** An error as it can cross a thread: the app's own code and message, or INTERNAL without details. */
export function toErrorPayload(error: unknown): AppErrorPayload {
  if (error instanceof AppError) return error.toPayload();
  return { code: 'INTERNAL', message: error instanceof Error ? error.message : String(error) };
}
