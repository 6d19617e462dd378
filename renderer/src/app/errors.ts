import type { TFunction } from 'i18next';
import { CallError } from '../ipc/client';

/** The user's-language text for a failed call, with the technical detail after it. */
export function errorText(t: TFunction, error: unknown): string {
  if (error instanceof CallError) return `${t(`errors.${error.code}`)}: ${error.message}`;
  return t('errors.INTERNAL');
}
