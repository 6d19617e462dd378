import { create } from 'zustand';
import type { ProjectDetail, ProjectSummary } from '../../../../shared/contract/schemas';
import type { LabelSchemaInput } from '../../../../shared/domain/labelSchema';
import { call } from '../../ipc/client';

interface ProjectsState {
  projects: ProjectSummary[];
  loaded: boolean;
  error: unknown;
  current: ProjectDetail | null;
  load(): Promise<void>;
  open(projectId: string): Promise<ProjectDetail>;
  create(input: { name: string; description: string; schema: LabelSchemaInput }): Promise<ProjectDetail>;
  saveSchema(projectId: string, schema: LabelSchemaInput): Promise<ProjectDetail>;
}

export const useProjects = create<ProjectsState>((set, get) => ({
  projects: [],
  loaded: false,
  error: null,
  current: null,
  async load() {
    try {
      set({ projects: await call('projects.list', {}), loaded: true, error: null });
    } catch (error) {
      set({ error, loaded: true });
    }
  },
  async open(projectId) {
    const current = await call('projects.get', { projectId });
    set({ current });
    return current;
  },
  async create(input) {
    const project = await call('projects.create', input);
    await get().load();
    return project;
  },
  async saveSchema(projectId, schema) {
    const current = await call('projects.updateSchema', { projectId, schema });
    set({ current });
    return current;
  },
}));
