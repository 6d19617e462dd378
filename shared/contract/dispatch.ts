import { EncodedValue } from './encoded';
import { AppError, type AppErrorPayload, type Result } from './errors';
import { contract, isChannel, type Channel, type Handlers } from './index';
import type { z } from 'zod';

function describeIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 5)
    .map((i) => (i.path.length ? `${i.path.join('.')}: ${i.message}` : i.message))
    .join('; ');
}

/** Turns an error a handler threw into the app's own (a SQLite error into DISK_FULL, DB_BUSY …); null: not one it knows. */
export type ErrorMapper = (error: unknown) => AppError | null;

/**
 * The one way into the application: checks the channel, validates the payload, runs the handler,
 * validates its output, and returns an envelope. Nothing thrown escapes; the caller never sees a
 * stack trace, only a code and a message. With `mapError`, an error that is not an AppError is
 * offered to it first (the core maps SQLite's errors); what it maps to INTERNAL is still reported
 * to onInternalError.
 */
export async function dispatch<C extends Channel>(
  handlers: Partial<Handlers>,
  channel: C | string,
  raw: unknown,
  onInternalError: (channel: string, error: unknown) => void = () => {},
  mapError?: ErrorMapper,
): Promise<Result<unknown>> {
  if (!isChannel(channel)) {
    return fail({ code: 'UNKNOWN_CHANNEL', message: `unknown channel: ${String(channel).slice(0, 100)}` });
  }
  const handler = handlers[channel] as ((input: unknown) => unknown) | undefined;
  if (!handler) return fail({ code: 'UNKNOWN_CHANNEL', message: `no handler for channel: ${channel}` });
  const spec = contract[channel];
  let input: ReturnType<typeof spec.input.safeParse>;
  try {
    const problem = notPlainData(raw ?? {});
    if (problem) return fail({ code: 'VALIDATION', message: `invalid input for ${channel}: ${problem}` });
    input = spec.input.safeParse(raw ?? {});
  } catch {
    // A getter or proxy trap that throws while the payload is read: not data.
    return fail({ code: 'VALIDATION', message: `invalid input for ${channel}: the input could not be read` });
  }
  if (!input.success) {
    return fail({ code: 'VALIDATION', message: `invalid input for ${channel}: ${describeIssues(input.error)}` });
  }
  try {
    const value = await handler(input.data);
    // Validated by the job thread that answered it (see encoded.ts).
    if (value instanceof EncodedValue) return { ok: true, value };
    const output = spec.output.safeParse(value);
    if (!output.success) {
      onInternalError(channel, output.error);
      return fail({ code: 'INTERNAL', message: `invalid output from ${channel}: ${describeIssues(output.error)}` });
    }
    return { ok: true, value: output.data };
  } catch (error) {
    if (error instanceof AppError) return fail(error.toPayload());
    const mapped = mapError?.(error);
    if (mapped) {
      if (mapped.code === 'INTERNAL') onInternalError(channel, error);
      return fail(mapped.toPayload());
    }
    onInternalError(channel, error);
    return fail({ code: 'INTERNAL', message: `internal error in ${channel}` });
  }
}

const MAX_DEPTH = 32;

/**
 * Payloads are JSON-like data: plain objects, arrays and primitives. Anything else (an Error, a
 * class instance, a Map) would be read through its prototype, so its inherited fields would pass as
 * the payload's own; cycles and absurd nesting are refused too. Returns the reason, or null.
 */
function notPlainData(value: unknown, depth = 0, seen = new Set<object>()): string | null {
  if (value === null || typeof value !== 'object') return null;
  if (depth > MAX_DEPTH) return `nested deeper than ${MAX_DEPTH} levels`;
  if (seen.has(value)) return 'the input refers to itself';
  const proto = Object.getPrototypeOf(value) as unknown;
  const isArray = Array.isArray(value);
  if (!isArray && proto !== Object.prototype && proto !== null) return 'the input must be plain data (objects, arrays, strings, numbers)';
  seen.add(value);
  for (const item of isArray ? value : Object.values(value)) {
    const problem = notPlainData(item, depth + 1, seen);
    if (problem) return problem;
  }
  seen.delete(value);
  return null;
}

function fail(error: AppErrorPayload): Result<never> {
  return { ok: false, error };
}
