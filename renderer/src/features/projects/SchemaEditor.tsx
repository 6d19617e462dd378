import {
  ActionIcon,
  Button,
  Checkbox,
  ColorInput,
  Group,
  NumberInput,
  Stack,
  Switch,
  Table,
  Tabs,
  TagsInput,
  Text,
  TextInput,
  Tooltip,
} from '@mantine/core';
import { IconPlus, IconTrash } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import type { LabelSchema } from '../../../../shared/domain/labelSchema';

interface Props {
  value: LabelSchema;
  onChange(value: LabelSchema): void;
}

/** Problems that would make the schema invalid, in the user's language. */
export function schemaProblems(schema: LabelSchema, t: (key: string, options?: Record<string, string>) => string): string[] {
  const problems: string[] = [];
  const check = (names: string[]) => {
    const seen = new Set<string>();
    for (const raw of names) {
      const name = raw.trim();
      if (!name) problems.push(t('schema.emptyName'));
      else if (seen.has(name)) problems.push(t('schema.duplicateName', { name }));
      seen.add(name);
    }
  };
  check(schema.intents.labels.map((l) => l.name));
  check(schema.entities.types.map((e) => e.name));
  check(schema.sentiment.levels.map((l) => l.name));
  return [...new Set(problems)];
}

/** Edits intents, entity types and sentiment levels of a project's label schema. */
export function SchemaEditor({ value, onChange }: Props) {
  const { t } = useTranslation();
  const update = (fn: (draft: LabelSchema) => void) => {
    const next = structuredClone(value);
    fn(next);
    onChange(next);
  };
  const fallback = value.intents.fallback;

  return (
    <Tabs defaultValue="intents" keepMounted={false}>
      <Tabs.List>
        <Tabs.Tab value="intents">
          {t('schema.intents')} ({value.intents.labels.length})
        </Tabs.Tab>
        <Tabs.Tab value="entities">
          {t('schema.entities')} ({value.entities.types.length})
        </Tabs.Tab>
        <Tabs.Tab value="sentiment">
          {t('schema.sentiment')} ({value.sentiment.levels.length})
        </Tabs.Tab>
      </Tabs.List>

      <Tabs.Panel value="intents" pt="md">
        <Stack gap="sm">
          <Group>
            <Switch
              label={t('schema.multiLabel')}
              checked={value.intents.multiLabel}
              onChange={(e) => update((d) => void (d.intents.multiLabel = e.currentTarget.checked))}
            />
          </Group>
          <Table verticalSpacing={4} horizontalSpacing="xs" data-testid="intent-table">
            <Table.Thead>
              <Table.Tr>
                <Table.Th w="22%">{t('schema.intentName')}</Table.Th>
                <Table.Th>{t('schema.intentDescription')}</Table.Th>
                <Table.Th w="24%">{t('schema.examples')}</Table.Th>
                <Table.Th w={70}>{t('schema.hotkey')}</Table.Th>
                <Table.Th w={60}>
                  <Tooltip label={t('schema.highRiskHelp')}>
                    <span>{t('schema.highRisk')}</span>
                  </Tooltip>
                </Table.Th>
                <Table.Th w={40} />
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {value.intents.labels.map((label, i) => {
                const isFallback = label.name === fallback;
                return (
                  <Table.Tr key={i}>
                    <Table.Td>
                      <TextInput
                        size="xs"
                        aria-label={t('schema.intentName')}
                        value={label.name}
                        description={isFallback ? t('schema.fallbackHelp') : undefined}
                        onChange={(e) => {
                          const name = e.currentTarget.value;
                          update((d) => {
                            if (isFallback) d.intents.fallback = name;
                            d.intents.labels[i]!.name = name;
                          });
                        }}
                      />
                    </Table.Td>
                    <Table.Td>
                      <TextInput
                        size="xs"
                        aria-label={t('schema.intentDescription')}
                        value={label.description}
                        onChange={(e) => update((d) => void (d.intents.labels[i]!.description = e.currentTarget.value))}
                      />
                    </Table.Td>
                    <Table.Td>
                      <TagsInput
                        size="xs"
                        aria-label={t('schema.examples')}
                        placeholder={label.examples.length ? undefined : t('schema.examplesPlaceholder')}
                        value={label.examples}
                        onChange={(examples) => update((d) => void (d.intents.labels[i]!.examples = examples))}
                      />
                    </Table.Td>
                    <Table.Td>
                      <TextInput
                        size="xs"
                        maxLength={1}
                        aria-label={t('schema.hotkey')}
                        value={label.hotkey}
                        onChange={(e) => update((d) => void (d.intents.labels[i]!.hotkey = e.currentTarget.value))}
                      />
                    </Table.Td>
                    <Table.Td>
                      <Checkbox
                        aria-label={t('schema.highRisk')}
                        checked={label.highRisk}
                        onChange={(e) => update((d) => void (d.intents.labels[i]!.highRisk = e.currentTarget.checked))}
                      />
                    </Table.Td>
                    <Table.Td>
                      {!isFallback && (
                        <ActionIcon
                          variant="subtle"
                          color="red"
                          aria-label={t('common.remove')}
                          onClick={() => update((d) => void d.intents.labels.splice(i, 1))}
                        >
                          <IconTrash size={16} />
                        </ActionIcon>
                      )}
                    </Table.Td>
                  </Table.Tr>
                );
              })}
            </Table.Tbody>
          </Table>
          <Group>
            <Button
              variant="light"
              size="xs"
              leftSection={<IconPlus size={14} />}
              onClick={() =>
                update((d) => {
                  const at = d.intents.labels.findIndex((l) => l.name === d.intents.fallback);
                  d.intents.labels.splice(at < 0 ? d.intents.labels.length : at, 0, {
                    name: '',
                    description: '',
                    examples: [],
                    hotkey: '',
                    highRisk: false,
                  });
                })
              }
            >
              {t('schema.addIntent')}
            </Button>
            <Text size="xs" c="dimmed">
              {t('schema.fallback')}: {fallback}
            </Text>
          </Group>
        </Stack>
      </Tabs.Panel>

      <Tabs.Panel value="entities" pt="md">
        <Stack gap="sm">
          <Switch
            label={t('schema.allowOverlap')}
            checked={value.entities.allowOverlap}
            onChange={(e) => update((d) => void (d.entities.allowOverlap = e.currentTarget.checked))}
          />
          <Table verticalSpacing={4} horizontalSpacing="xs">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('schema.entityName')}</Table.Th>
                <Table.Th w={160}>{t('schema.color')}</Table.Th>
                <Table.Th w={70}>{t('schema.hotkey')}</Table.Th>
                <Table.Th w={40} />
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {value.entities.types.map((type, i) => (
                <Table.Tr key={i}>
                  <Table.Td>
                    <TextInput
                      size="xs"
                      aria-label={t('schema.entityName')}
                      value={type.name}
                      onChange={(e) => update((d) => void (d.entities.types[i]!.name = e.currentTarget.value))}
                    />
                  </Table.Td>
                  <Table.Td>
                    <ColorInput
                      size="xs"
                      aria-label={t('schema.color')}
                      format="hex"
                      value={type.color}
                      onChange={(color) => update((d) => void (d.entities.types[i]!.color = color))}
                    />
                  </Table.Td>
                  <Table.Td>
                    <TextInput
                      size="xs"
                      maxLength={1}
                      aria-label={t('schema.hotkey')}
                      value={type.hotkey}
                      onChange={(e) => update((d) => void (d.entities.types[i]!.hotkey = e.currentTarget.value))}
                    />
                  </Table.Td>
                  <Table.Td>
                    <ActionIcon
                      variant="subtle"
                      color="red"
                      aria-label={t('common.remove')}
                      onClick={() => update((d) => void d.entities.types.splice(i, 1))}
                    >
                      <IconTrash size={16} />
                    </ActionIcon>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
          <Group>
            <Button
              variant="light"
              size="xs"
              leftSection={<IconPlus size={14} />}
              onClick={() => update((d) => void d.entities.types.push({ name: '', color: '#228be6', hotkey: '', description: '' }))}
            >
              {t('schema.addEntity')}
            </Button>
          </Group>
        </Stack>
      </Tabs.Panel>

      <Tabs.Panel value="sentiment" pt="md">
        <Stack gap="sm">
          <Table verticalSpacing={4} horizontalSpacing="xs">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('schema.levelName')}</Table.Th>
                <Table.Th w={120}>{t('schema.value')}</Table.Th>
                <Table.Th w={70}>{t('schema.hotkey')}</Table.Th>
                <Table.Th w={40} />
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {value.sentiment.levels.map((level, i) => (
                <Table.Tr key={i}>
                  <Table.Td>
                    <TextInput
                      size="xs"
                      aria-label={t('schema.levelName')}
                      value={level.name}
                      onChange={(e) => update((d) => void (d.sentiment.levels[i]!.name = e.currentTarget.value))}
                    />
                  </Table.Td>
                  <Table.Td>
                    <NumberInput
                      size="xs"
                      aria-label={t('schema.value')}
                      allowDecimal={false}
                      value={level.value}
                      onChange={(v) => update((d) => void (d.sentiment.levels[i]!.value = Number(v) || 0))}
                    />
                  </Table.Td>
                  <Table.Td>
                    <TextInput
                      size="xs"
                      maxLength={1}
                      aria-label={t('schema.hotkey')}
                      value={level.hotkey}
                      onChange={(e) => update((d) => void (d.sentiment.levels[i]!.hotkey = e.currentTarget.value))}
                    />
                  </Table.Td>
                  <Table.Td>
                    <ActionIcon
                      variant="subtle"
                      color="red"
                      aria-label={t('common.remove')}
                      onClick={() => update((d) => void d.sentiment.levels.splice(i, 1))}
                    >
                      <IconTrash size={16} />
                    </ActionIcon>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
          <Group>
            <Button
              variant="light"
              size="xs"
              leftSection={<IconPlus size={14} />}
              onClick={() =>
                update(
                  (d) =>
                    void d.sentiment.levels.push({ name: '', value: d.sentiment.levels.reduce((m, l) => Math.max(m, l.value), -1) + 1, hotkey: '' }),
                )
              }
            >
              {t('schema.addLevel')}
            </Button>
          </Group>
        </Stack>
      </Tabs.Panel>
    </Tabs>
  );
}
