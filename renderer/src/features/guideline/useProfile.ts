import { useEffect, useState } from 'react';
import type { Role } from '../../../../shared/contract/adjudication';
import type { Annotator } from '../../../../shared/contract/schemas';
import { call } from '../../ipc/client';
import { useAnnotators } from '../annotators/store';

export interface Profile {
  profile: Annotator | null;
  roles: readonly Role[];
  /** Leads and reviewers edit the guideline and the adjudication settings. */
  canEdit: boolean;
  /** Leads queue items for a re-check. */
  isLead: boolean;
}

/**
 * The current profile with its roles as the database has them now: roles change in the team view
 * while the profile stays chosen, so they are read again when a page that depends on them opens.
 */
export function useProfile(): Profile {
  const current = useAnnotators((a) => a.current);
  const [fresh, setFresh] = useState<Annotator | null>(null);
  const id = current?.id ?? null;
  useEffect(() => {
    if (!id) return;
    let live = true;
    call('annotators.list', {}).then(
      (all) => {
        if (live) setFresh(all.find((a) => a.id === id) ?? null);
      },
      () => undefined,
    );
    return () => {
      live = false;
    };
  }, [id]);
  const profile = fresh && fresh.id === id ? fresh : current;
  const roles = profile?.roles ?? [];
  return { profile, roles, canEdit: roles.includes('lead') || roles.includes('reviewer'), isLead: roles.includes('lead') };
}
