import { FeedbackPage } from '../feedback/FeedbackPage';
import { ProjectSettingsPage } from '../projectSettings/ProjectSettingsPage';
import type { Route } from '../../app/store';
import { GuidelinePage } from './GuidelinePage';
import { PacksPage } from '../packs/PacksPage';

export type ProjectPageRoute = Extract<Route, { name: 'guideline' | 'feedback' | 'projectSettings' | 'packs' }>;

/** The guideline, feedback and settings pages of a project, by route. */
export function ProjectPages({ route }: { route: ProjectPageRoute }) {
  if (route.name === 'guideline') return <GuidelinePage projectId={route.projectId} />;
  if (route.name === 'feedback') return <FeedbackPage projectId={route.projectId} />;
  if (route.name === 'packs') return <PacksPage projectId={route.projectId} />;
  return <ProjectSettingsPage projectId={route.projectId} />;
}
