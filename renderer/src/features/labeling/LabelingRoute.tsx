import { useEffect } from 'react';
import { Alert, Loader } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { errorText } from '../../app/errors';
import { useProjects } from '../projects/store';
import { LabelingView } from './LabelingView';
import { useLabeling } from './store';
import type { QueueFilter } from '../../../../shared/contract/schemas';

interface Props {
  projectId: string;
  annotatorId: string;
  filter?: QueueFilter | undefined;
  /** Open the queue at this item (a link from the quality report) rather than at the filter's first item. */
  startOrd?: number | undefined;
}

/** Loads the project (for its schema) and shows the labeling view. */
export function LabelingRoute({ projectId, annotatorId, filter, startOrd }: Props) {
  const { t } = useTranslation();
  const { current, open, error } = useProjects();
  const ready = !!current && current.id === projectId;
  useEffect(() => {
    if (useProjects.getState().current?.id !== projectId) void open(projectId).catch(() => undefined);
  }, [projectId, open]);
  // The view's own effect (a child's, so it runs first) opens the queue; the store runs calls in
  // order, so this jump lands after the queue's first item and wins over it.
  useEffect(() => {
    if (ready && startOrd !== undefined) void useLabeling.getState().jump(startOrd);
  }, [ready, startOrd, annotatorId]);
  if (error) return <Alert color="red">{errorText(t, error)}</Alert>;
  if (!ready) return <Loader />;
  return <LabelingView projectId={projectId} projectName={current.name} annotatorId={annotatorId} schema={current.schema} filter={filter} />;
}
