import { useEffect } from 'react';
import { Alert, Loader } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { errorText } from '../../app/errors';
import { useProjects } from '../projects/store';
import { LabelingView } from './LabelingView';
import type { QueueFilter } from '../../../../shared/contract/schemas';

/** Loads the project (for its schema) and shows the labeling view. */
export function LabelingRoute({ projectId, annotatorId, filter }: { projectId: string; annotatorId: string; filter?: QueueFilter | undefined }) {
  const { t } = useTranslation();
  const { current, open, error } = useProjects();
  useEffect(() => {
    if (useProjects.getState().current?.id !== projectId) void open(projectId).catch(() => undefined);
  }, [projectId, open]);
  if (error) return <Alert color="red">{errorText(t, error)}</Alert>;
  if (!current || current.id !== projectId) return <Loader />;
  return <LabelingView projectId={projectId} projectName={current.name} annotatorId={annotatorId} schema={current.schema} filter={filter} />;
}
