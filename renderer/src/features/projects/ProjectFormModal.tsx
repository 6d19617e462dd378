import { useState } from 'react';
import { Alert, Button, Group, Modal, Stack, TextInput, Textarea } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { DEFAULT_SCHEMA, LabelSchema } from '../../../../shared/domain/labelSchema';
import type { ProjectDetail } from '../../../../shared/contract/schemas';
import { errorText } from '../../app/errors';
import { SchemaEditor, schemaProblems } from './SchemaEditor';

interface Props {
  opened: boolean;
  /** Editing an existing project's schema when given; creating a new project otherwise. */
  project?: ProjectDetail | null;
  onClose(): void;
  onSubmit(input: { name: string; description: string; schema: LabelSchema }): Promise<void>;
}

export function ProjectFormModal({ opened, project, onClose, onSubmit }: Props) {
  const { t } = useTranslation();
  return (
    <Modal opened={opened} onClose={onClose} size="80rem" title={project ? t('projects.editSchema') : t('projects.createTitle')}>
      {opened && <ProjectForm project={project ?? null} onClose={onClose} onSubmit={onSubmit} />}
    </Modal>
  );
}

/** Mounted each time the modal opens, so it starts from the project (or the default schema). */
function ProjectForm({ project, onClose, onSubmit }: Omit<Props, 'opened' | 'project'> & { project: ProjectDetail | null }) {
  const { t } = useTranslation();
  const [name, setName] = useState(project?.name ?? '');
  const [description, setDescription] = useState(project?.description ?? '');
  const [schema, setSchema] = useState<LabelSchema>(() => (project ? structuredClone(project.schema) : LabelSchema.parse(DEFAULT_SCHEMA)));
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const problems = schemaProblems(schema, t);
  const submit = async () => {
    if (!name.trim()) return setError(t('schema.emptyName'));
    if (problems.length) return setError(problems.join('；'));
    setBusy(true);
    try {
      await onSubmit({ name: name.trim(), description, schema: LabelSchema.parse(schema) });
      onClose();
    } catch (e) {
      setError(errorText(t, e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Stack
      component="form"
      onSubmit={(e: React.FormEvent) => {
        e.preventDefault();
        void submit();
      }}
    >
      <TextInput
        label={t('projects.name')}
        placeholder={t('projects.namePlaceholder')}
        value={name}
        onChange={(e) => setName(e.currentTarget.value)}
        disabled={!!project}
        data-autofocus
        required
      />
      {!project && (
        <Textarea
          label={t('projects.description')}
          value={description}
          onChange={(e) => setDescription(e.currentTarget.value)}
          autosize
          minRows={1}
        />
      )}
      <SchemaEditor value={schema} onChange={setSchema} />
      {error && (
        <Alert color="red" role="alert">
          {error}
        </Alert>
      )}
      <Group justify="flex-end">
        <Button variant="default" onClick={onClose}>
          {t('common.cancel')}
        </Button>
        <Button type="submit" loading={busy}>
          {project ? t('common.save') : t('projects.create')}
        </Button>
      </Group>
    </Stack>
  );
}
