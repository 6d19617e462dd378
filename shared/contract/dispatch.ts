import { AppError, type AppErrorPayload, type Result } from './errors';
import { contract, isChannel, type Channel, type Handlers } from './index';
import type { z } from 'zod';

function describeIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 5)
    .map((i) => (i.path.length ? `${i.path.join('.')}: ${i.message}` : i.message))
    .join('; ');
}

/**
 * The one way into the application: checks the channel, validates the payload, runs the handler,
 * validates its output, and returns an envelope. Nothing thrown escapes; the caller never sees a
 * stack trace, only a code and a message.
 */
export async function dispatch<C extends Channel>(
  handlers: Partial<Handlers>,
  channel: C | string,
  raw: unknown,
  onInternalError: (channel: string, error: unknown) => void = () => {},
): Promise<Result<unknown>> {
  if (!isChannel(channel)) {
    return fail({ code: 'UNKNOWN_CHANNEL', message: `unknown channel: ${String(channel).slice(0, 100)}` });
  }
  const handler = handlers[channel] as ((input: unknown) => unknown) | undefined;
  if (!handler) return fail({ code: 'UNKNOWN_CHANNEL', message: `no handler for channel: ${channel}` });
  const spec = contract[channel];
  const input = spec.input.safeParse(raw ?? {});
  if (!input.success) {
    return fail({ code: 'VALIDATION', message: `invalid input for ${channel}: ${describeIssues(input.error)}` });
  }
  try {
    const value = await handler(input.data);
    const output = spec.output.safeParse(value);
    if (!output.success) {
      onInternalError(channel, output.error);
      return fail({ code: 'INTERNAL', message: `invalid output from ${channel}: ${describeIssues(output.error)}` });
    }
    return { ok: true, value: output.data };
  } catch (error) {
    if (error instanceof AppError) return fail(error.toPayload());
    onInternalError(channel, error);
    return fail({ code: 'INTERNAL', message: `internal error in ${channel}` });
  }
}

function fail(error: AppErrorPayload): Result<never> {
  return { ok: false, error };
}
