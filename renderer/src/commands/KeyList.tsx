import { Group, Kbd, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { formatKeys, type Platform } from './keys';

/** A command's keys as <Kbd>s ('Ctrl+Shift+Z', 'Ctrl+Y'), or "palette only" when it has none. */
export function KeyList({ keys, platform, size = 'sm' }: { keys: readonly string[]; platform: Platform; size?: 'xs' | 'sm' }) {
  const { t } = useTranslation();
  if (keys.length === 0) {
    return (
      <Text size="xs" c="dimmed">
        {t('commands.ui.paletteOnly')}
      </Text>
    );
  }
  return (
    <Group gap={4} wrap="nowrap">
      {keys.map((key) => (
        <Kbd key={key} size={size}>
          {formatKeys(key, platform)}
        </Kbd>
      ))}
    </Group>
  );
}
