import { useEffect, useId, useState } from 'react';
import { Alert, Badge, Box, Group, Kbd, Paper, Skeleton, Text, TextInput } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { command, useCommands, useKeyLabel } from '../../commands';
import { IconSearch } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { errorText } from '../../app/errors';
import { useItemPages } from './useItemPages';
import { useScaledRows } from './useScaledRows';
import classes from './ItemTable.module.css';

interface Props {
  projectId: string;
  /** Bumped when the items change (after an import), to refetch. */
  version: number;
  onOpen(itemId: string): void;
}

const ROW_HEIGHT = 44;

/** The project's items, virtualized: only the rows on screen exist in the page. */
export function ItemTable({ projectId, version, onOpen }: Props) {
  const { t, i18n } = useTranslation();
  const [query, setQuery] = useState('');
  const [search] = useDebouncedValue(query, 200);
  const pages = useItemPages(projectId, search, version);
  const total = pages.total ?? 0;
  const [activeState, setActiveState] = useState({ key: '', index: 0 });
  // The highlighted row goes back to the top when the search or project changes.
  const listKey = `${projectId}\u0000${search}`;
  const active = activeState.key === listKey ? activeState.index : 0;
  const setActive = (index: number) => setActiveState({ key: listKey, index });
  const searchId = useId();

  const { ref: scroller, rows: visible, contentHeight, first, last, scrollToIndex } = useScaledRows(total, ROW_HEIGHT);

  useEffect(() => {
    if (total) pages.ensure(first, last);
  }, [first, last, total, pages]);

  useCommands([command('items.search', () => document.getElementById(searchId)?.focus())]);
  const searchKey = useKeyLabel('items.search');

  const move = (to: number) => {
    const next = Math.max(0, Math.min(total - 1, to));
    setActive(next);
    scrollToIndex(next);
  };
  const onKeyDown = (e: React.KeyboardEvent) => {
    const page = Math.max(1, Math.floor((scroller.current?.clientHeight ?? 400) / ROW_HEIGHT) - 1);
    const keys: Record<string, () => void> = {
      ArrowDown: () => move(active + 1),
      ArrowUp: () => move(active - 1),
      PageDown: () => move(active + page),
      PageUp: () => move(active - page),
      Home: () => move(0),
      End: () => move(total - 1),
      Enter: () => {
        const row = pages.row(active);
        if (row) onOpen(row.id);
      },
    };
    const action = keys[e.key];
    if (action) {
      e.preventDefault();
      action();
    }
  };

  return (
    <Paper withBorder radius="md" className={classes.wrapper}>
      <Group p="sm" gap="sm" className={classes.toolbar}>
        <TextInput
          id={searchId}
          value={query}
          onChange={(e) => setQuery(e.currentTarget.value)}
          onKeyDown={(e) => {
            if (e.key === 'Escape') setQuery('');
            if (e.key === 'ArrowDown' || e.key === 'Enter') {
              e.preventDefault();
              scroller.current?.focus();
            }
          }}
          placeholder={t('items.search')}
          aria-label={t('items.search')}
          leftSection={<IconSearch size={16} />}
          rightSection={searchKey ? <Kbd size="xs">{searchKey}</Kbd> : null}
          w={360}
        />
        <Text size="sm" c="dimmed" data-testid="item-count">
          {pages.total === null ? t('common.loading') : t(search ? 'items.matches' : 'items.count', { n: total.toLocaleString(i18n.language) })}
        </Text>
      </Group>
      {!!pages.error && <Alert color="red">{errorText(t, pages.error)}</Alert>}
      <div className={classes.header} role="presentation">
        <span className={classes.ord}>#</span>
        <span className={classes.text}>{t('items.text')}</span>
        <span className={classes.count}>{t('items.annotations')}</span>
        <span className={classes.source}>{t('items.source')}</span>
      </div>
      <div
        ref={scroller}
        className={classes.scroller}
        tabIndex={0}
        role="grid"
        aria-rowcount={total}
        aria-label={t('items.text')}
        aria-activedescendant={total ? `item-row-${active}` : undefined}
        onKeyDown={onKeyDown}
        data-testid="item-table"
      >
        {pages.total === 0 && (
          <Text c="dimmed" ta="center" p="xl">
            {search ? t('items.noMatches') : t('items.empty')}
          </Text>
        )}
        <div style={{ height: contentHeight, position: 'relative' }}>
          {visible.map((v) => {
            const row = pages.row(v.index);
            return (
              <div
                key={v.index}
                id={`item-row-${v.index}`}
                role="row"
                aria-rowindex={v.index + 1}
                aria-selected={v.index === active}
                className={classes.row}
                data-active={v.index === active || undefined}
                style={{ transform: `translateY(${v.top}px)`, height: ROW_HEIGHT }}
                onClick={() => {
                  setActive(v.index);
                  if (row) onOpen(row.id);
                }}
              >
                {row ? (
                  <>
                    <span className={classes.ord}>{row.ord.toLocaleString(i18n.language)}</span>
                    <span className={classes.text} title={row.text}>
                      {row.gold && (
                        <Badge size="xs" color="yellow" variant="light" mr={6}>
                          {t('items.gold')}
                        </Badge>
                      )}
                      {row.text}
                    </span>
                    <span className={classes.count}>{row.annotationCount || ''}</span>
                    <span className={classes.source}>{row.sourceFile ? `${row.sourceFile}:${row.sourceLine}` : ''}</span>
                  </>
                ) : (
                  <Box w="100%" px="md">
                    <Skeleton height={12} radius="sm" />
                  </Box>
                )}
              </div>
            );
          })}
        </div>
      </div>
    </Paper>
  );
}
