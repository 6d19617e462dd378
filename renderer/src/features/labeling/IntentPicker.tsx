import { useState } from 'react';
import { Badge, Group, Kbd, Modal, ScrollArea, Stack, Text, TextInput, UnstyledButton } from '@mantine/core';
import { IconSearch } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import type { LabelSchema } from '../../../../shared/domain/labelSchema';
import { searchIntents } from './intentSearch';
import classes from './Labeling.module.css';

interface Props {
  opened: boolean;
  schema: LabelSchema;
  chosen: string[];
  onChoose(name: string): void;
  onClose(): void;
}

/** For schemas with more intents than keys: type to filter by name, pinyin, initials or description. */
export function IntentPicker({ opened, schema, chosen, onChoose, onClose }: Props) {
  const { t } = useTranslation();
  return (
    <Modal opened={opened} onClose={onClose} title={t('labeling.pickerTitle')} size="lg">
      {opened && <PickerBody schema={schema} chosen={chosen} onChoose={onChoose} onClose={onClose} />}
    </Modal>
  );
}

function PickerBody({ schema, chosen, onChoose, onClose }: Omit<Props, 'opened'>) {
  const { t } = useTranslation();
  const [query, setQuery] = useState('');
  const [active, setActive] = useState(0);
  const matches = searchIntents(schema.intents.labels, query);
  const pick = (name: string | undefined) => {
    if (!name) return;
    onChoose(name);
    onClose();
  };
  return (
    <Stack gap="sm">
      <TextInput
        data-autofocus
        leftSection={<IconSearch size={16} />}
        placeholder={t('labeling.pickerPlaceholder')}
        aria-label={t('labeling.pickerPlaceholder')}
        value={query}
        onChange={(e) => {
          setQuery(e.currentTarget.value);
          setActive(0);
        }}
        onKeyDown={(e) => {
          if (e.nativeEvent.isComposing) return;
          if (e.key === 'ArrowDown') setActive((a) => Math.min(a + 1, matches.length - 1));
          else if (e.key === 'ArrowUp') setActive((a) => Math.max(a - 1, 0));
          else if (e.key === 'Enter') pick(matches[active]?.label.name);
          else return;
          e.preventDefault();
        }}
      />
      <ScrollArea.Autosize mah={380} type="auto">
        <Stack gap={2} role="listbox" aria-label={t('labeling.intent')} data-testid="intent-picker">
          {matches.map((m, i) => (
            <UnstyledButton
              key={m.label.name}
              className={classes.choice}
              role="option"
              aria-selected={i === active}
              data-on={i === active || undefined}
              onClick={() => pick(m.label.name)}
              tabIndex={-1}
            >
              <Group gap="xs" wrap="nowrap">
                <Kbd size="xs" className={classes.key}>
                  {m.label.hotkey || ' '}
                </Kbd>
                <div style={{ flex: 1, minWidth: 0 }}>
                  <Text size="sm" fw={600}>
                    {m.label.name}
                  </Text>
                  {m.label.description && (
                    <Text size="xs" c="dimmed" truncate>
                      {m.label.description}
                    </Text>
                  )}
                </div>
                {chosen.includes(m.label.name) && <Badge size="xs">✓</Badge>}
              </Group>
            </UnstyledButton>
          ))}
          {matches.length === 0 && (
            <Text c="dimmed" size="sm" p="sm">
              {t('labeling.pickerEmpty')}
            </Text>
          )}
        </Stack>
      </ScrollArea.Autosize>
    </Stack>
  );
}
