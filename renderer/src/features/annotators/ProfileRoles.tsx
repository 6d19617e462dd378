import { useState } from 'react';
import { useCommands } from '../../commands/hooks';
import type { Command } from '../../commands/types';
import { RolesModal } from './RolesModal';
import { useAnnotators } from './store';

/** Anywhere in the app (the palette): edit the roles of the profile in use. Mounted once by the shell. */
export function ProfileRoles() {
  const [editing, setEditing] = useState(false);
  const current = useAnnotators((a) => a.current);
  const roles: Command = {
    id: 'annotators.roles',
    titleKey: 'adjudication.commands.roles',
    keys: [],
    scope: 'global',
    group: 'general',
    run: () => setEditing(true),
    when: () => !!useAnnotators.getState().current,
  };
  useCommands([roles]);
  return <RolesModal annotator={editing ? current : null} onClose={() => setEditing(false)} />;
}
