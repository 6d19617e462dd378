import type { KeyboardEvent } from 'react';
import { TextInput } from '@mantine/core';
import { IconSearch } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';

/** The filter field that heads the shortcut help and the keymap editor. */
export function CommandFilter({
  value,
  onChange,
  onKeyDown,
}: {
  value: string;
  onChange(value: string): void;
  onKeyDown?: (e: KeyboardEvent<HTMLInputElement>) => void;
}) {
  const { t } = useTranslation();
  return (
    <TextInput
      data-autofocus
      leftSection={<IconSearch size={16} />}
      placeholder={t('commands.ui.filter')}
      aria-label={t('commands.ui.filter')}
      value={value}
      onChange={(e) => onChange(e.currentTarget.value)}
      onKeyDown={onKeyDown}
    />
  );
}
