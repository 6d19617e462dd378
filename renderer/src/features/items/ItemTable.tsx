import { useEffect, useId, useState } from 'react';
import { Alert, Badge, Box, Group, Kbd, Paper, Skeleton, Text, TextInput } from '@mantine/core';
import { useDebouncedValue, useMergedRef } from '@mantine/hooks';
import { command, useCommands, useKeyLabel, useRowList } from '../../commands';
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

/**
 * The project's items, virtualized: only the rows on screen exist in the page. The list keeps focus
 * and points at the selected row (aria-activedescendant); the row keys come from the registry.
 */
export function ItemTable({ projectId, version, onOpen }: Props) {
  const { t, i18n } = useTranslation();
  const [query, setQuery] = useState('');
  const [search] = useDebouncedValue(query, 200);
  const pages = useItemPages(projectId, search, version);
  const total = pages.total ?? 0;
  const searchId = useId();

  const { ref: scroller, rows: visible, contentHeight, first, last, scrollToIndex } = useScaledRows(total, ROW_HEIGHT);
  const open = (index: number) => {
    const row = pages.row(index);
    if (row) onOpen(row.id);
  };
  // One selection per project and search: a new search starts at its first match, coming back lands where it was.
  const list = useRowList({
    id: `items\u0000${projectId}\u0000${search}`,
    count: total,
    focus: 'container',
    onOpen: open,
    scrollTo: scrollToIndex,
    pageSize: () => Math.max(1, Math.floor((scroller.current?.clientHeight ?? 400) / ROW_HEIGHT) - 1),
  });
  const scrollerRef = useMergedRef(scroller, list.listProps.ref);

  useEffect(() => {
    if (total) pages.ensure(first, last);
  }, [first, last, total, pages]);

  useCommands([command('items.search', () => document.getElementById(searchId)?.focus())]);
  const searchKey = useKeyLabel('items.search');

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
              list.focusRow(list.selected);
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
        {...list.listProps}
        ref={scrollerRef}
        className={`${classes.scroller} ${list.containerClassName ?? ''}`}
        role="grid"
        aria-rowcount={total}
        aria-label={t('items.text')}
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
            const rowProps = list.rowProps(v.index);
            return (
              <div
                key={v.index}
                {...rowProps}
                role="row"
                aria-rowindex={v.index + 1}
                className={`${classes.row} ${rowProps.className ?? ''}`}
                style={{ transform: `translateY(${v.top}px)`, height: ROW_HEIGHT }}
                onClick={() => {
                  list.focusRow(v.index);
                  open(v.index);
                }}
              >
                {row ? (
                  <>
                    <span className={classes.ord} role="gridcell">
                      {row.ord.toLocaleString(i18n.language)}
                    </span>
                    <span className={classes.text} title={row.text} role="gridcell">
                      {row.gold && (
                        <Badge size="xs" color="yellow" variant="light" mr={6}>
                          {t('items.gold')}
                        </Badge>
                      )}
                      {row.text}
                    </span>
                    <span className={classes.count} role="gridcell">
                      {row.annotationCount || ''}
                    </span>
                    <span className={classes.source} role="gridcell">
                      {row.sourceFile ? `${row.sourceFile}:${row.sourceLine}` : ''}
                    </span>
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
