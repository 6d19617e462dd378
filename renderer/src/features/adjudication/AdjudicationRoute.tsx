import { useEffect } from 'react';
import { Alert, Center, Kbd, Loader, Stack, Text } from '@mantine/core';
import { IconLock } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import type { AdjudicationFilter } from '../../../../shared/contract/adjudication';
import { errorText } from '../../app/errors';
import { useNavigation, type Route } from '../../app/store';
import { useKeyLabel } from '../../commands/hooks';
import { useAnnotators } from '../annotators/store';
import { useProjects } from '../projects/store';
import { AdjudicationView } from './AdjudicationView';
import { QueueView } from './QueueView';

export type AdjudicationRouteValue = Extract<Route, { name: 'adjudicationQueue' | 'adjudication' }>;

const NO_FILTER: AdjudicationFilter = {};

/** Loads the project (for its schema) and shows the queue or the view, to a profile with the reviewer role. */
export function AdjudicationRoute({ route }: { route: AdjudicationRouteValue }) {
  const { t } = useTranslation();
  const { current, open, error } = useProjects();
  const annotator = useAnnotators((a) => a.current);
  const back = useNavigation((n) => n.back);
  const paletteKey = useKeyLabel('app.palette');
  const { projectId } = route;
  const ready = !!current && current.id === projectId;
  useEffect(() => {
    if (useProjects.getState().current?.id !== projectId) void open(projectId).catch(() => undefined);
  }, [projectId, open]);

  if (!annotator) return null;
  if (!annotator.roles?.includes('reviewer')) {
    return (
      <Center h="100%">
        <Alert color="orange" icon={<IconLock size={18} />} title={t('adjudication.forbiddenTitle')} maw={560} data-testid="adjudication-forbidden">
          <Stack gap={4}>
            <Text size="sm">{t('adjudication.forbidden', { name: annotator.name })}</Text>
            <Text size="sm">
              {t('adjudication.forbiddenHow')} <Kbd size="xs">{paletteKey}</Kbd>
            </Text>
          </Stack>
        </Alert>
      </Center>
    );
  }
  if (error) return <Alert color="red">{errorText(t, error)}</Alert>;
  if (!ready) return <Loader />;
  if (route.name === 'adjudicationQueue') return <QueueView projectId={projectId} projectName={current.name} schema={current.schema} />;
  return (
    <AdjudicationView
      projectId={projectId}
      projectName={current.name}
      reviewerId={annotator.id}
      schema={current.schema}
      filter={route.filter ?? NO_FILTER}
      startItemId={route.startItemId}
      onBack={back}
    />
  );
}
