import { useState } from 'react';
import { Alert, Button, Checkbox, Group, Kbd, Modal, Stack, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { Role } from '../../../../shared/contract/adjudication';
import type { Annotator } from '../../../../shared/contract/schemas';
import { errorText } from '../../app/errors';
import { useAnnotators } from './store';

export const ROLES: readonly Role[] = ['annotator', 'reviewer', 'lead'];

interface Props {
  annotator: Annotator | null;
  onClose(): void;
}

/** A profile's roles: annotator, reviewer (adjudicates disagreements), lead (sets the team and the guideline up). Space toggles, Ctrl+Enter saves. */
export function RolesModal({ annotator, onClose }: Props) {
  const { t } = useTranslation();
  return (
    <Modal opened={!!annotator} onClose={onClose} title={t('adjudication.roles.title', { name: annotator?.name ?? '' })} data-testid="roles-modal">
      {annotator && <RolesBody annotator={annotator} onClose={onClose} />}
    </Modal>
  );
}

function RolesBody({ annotator, onClose }: { annotator: Annotator; onClose(): void }) {
  const { t } = useTranslation();
  const [roles, setRoles] = useState<Role[]>(annotator.roles ?? ['annotator']);
  const [error, setError] = useState<unknown>(null);
  const [saving, setSaving] = useState(false);
  const save = async () => {
    if (!roles.length || saving) return;
    setSaving(true);
    try {
      await useAnnotators.getState().setRoles(annotator.id, ROLES.filter((r) => roles.includes(r)));
      onClose();
    } catch (e) {
      setError(e);
    } finally {
      setSaving(false);
    }
  };
  return (
    <Stack
      gap="md"
      onKeyDown={(e) => {
        if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
          e.preventDefault();
          void save();
        }
      }}
    >
      <Text size="sm" c="dimmed">
        {t('adjudication.roles.help')}
      </Text>
      <Checkbox.Group value={roles} onChange={(v) => setRoles(v as Role[])} label={t('adjudication.roles.label')}>
        <Stack gap="sm" mt="xs">
          {ROLES.map((role, i) => (
            <Checkbox
              key={role}
              value={role}
              data-autofocus={i === 0 || undefined}
              label={t(`adjudication.roles.${role}`)}
              description={t(`adjudication.roles.${role}Help`)}
              data-role={role}
            />
          ))}
        </Stack>
      </Checkbox.Group>
      {!roles.length && (
        <Text size="xs" c="orange">
          {t('adjudication.roles.atLeastOne')}
        </Text>
      )}
      {!!error && <Alert color="red">{errorText(t, error)}</Alert>}
      <Group justify="space-between">
        <Text size="xs" c="dimmed">
          <Kbd size="xs">Space</Kbd> {t('adjudication.roles.toggle')} · <Kbd size="xs">Ctrl+Enter</Kbd> {t('adjudication.roles.saveHint')}
        </Text>
        <Group gap="xs">
          <Button variant="default" onClick={onClose}>
            {t('common.cancel')}
          </Button>
          <Button onClick={() => void save()} disabled={!roles.length} loading={saving} data-testid="roles-save">
            {t('common.save')}
          </Button>
        </Group>
      </Group>
    </Stack>
  );
}
