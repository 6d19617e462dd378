import { useMemo } from 'react';
import { Badge, Group, Kbd, Stack, Text } from '@mantine/core';
import { IconFlag, IconPencil } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import type { LabelSchema } from '../../../../shared/domain/labelSchema';
import type { Span } from '../../../../shared/domain/spans';
import { useKeyLabel } from '../../commands/hooks';
import { SpanText } from '../labeling/spans/SpanText';
import { initialState, spanBoundaries, type SpanEditorState } from '../labeling/spans/model';
import { STATE_COLORS } from './CountsBar';
import { decidedSpans, versionCssColor } from './fields';
import { versionName } from './format';
import { useAdjudication } from './store';
import classes from './Adjudication.module.css';

const NO_SPANS: Span[] = [];
const ignore = () => {};

/**
 * The item's text twice: with every version's spans over it (one colour per version, each tagged
 * with its version), and with the spans decided so far (coloured by entity type), which the span
 * editor edits. The current span cluster is tinted in both.
 */
export function ItemTexts({ schema }: { schema: LabelSchema }) {
  const { t, i18n } = useTranslation();
  const item = useAdjudication((s) => s.item)!;
  const model = useAdjudication((s) => s.model)!;
  const fields = useAdjudication((s) => s.fields);
  const field = useAdjudication((s) => s.fields[s.fieldIndex]);
  const decisions = useAdjudication((s) => s.decisions);
  const editing = useAdjudication((s) => s.editing);
  const editKey = useKeyLabel('adjudication.edit');

  const overlay = useMemo(() => {
    const spans: Span[] = [];
    const colors: Record<string, string> = {};
    item.versions.forEach((v, i) => {
      for (const s of v.entities) {
        const label = `${v.tag}·${s.label}`;
        spans.push({ start: s.start, end: s.end, label });
        colors[label] = versionCssColor(i);
      }
    });
    return { spans, colors };
  }, [item]);
  const typeColors = useMemo(() => Object.fromEntries(schema.entities.types.map((e) => [e.name, e.color])), [schema]);
  const decided = useMemo(() => decidedSpans(fields, decisions), [fields, decisions]);
  // The current cluster shown as a tinted range (the editor's selection look, restyled), or nothing.
  const highlight = useMemo<SpanEditorState>(() => {
    if (!field?.extent) return initialState();
    const b = spanBoundaries(model, field.extent);
    return { anchor: b.start, focus: b.end, selected: null };
  }, [field, model]);

  return (
    <Stack gap="xs">
      <Group justify="space-between" wrap="nowrap">
        <Group gap={6}>
          <Badge variant="light" data-testid="adjudication-ord">
            #{item.ord.toLocaleString(i18n.language)}
          </Badge>
          <Badge variant="light" color={STATE_COLORS[item.state]} leftSection={item.state === 'flagged' ? <IconFlag size={12} /> : undefined} data-testid="adjudication-state">
            {t(`adjudication.state.${item.state}`)}
          </Badge>
          <Text size="xs" c="dimmed">
            {t('adjudication.score', { score: item.score.toFixed(2) })}
          </Text>
        </Group>
        <Group gap={10} data-testid="version-legend">
          {item.versions.map((v, i) => (
            <span key={v.tag} className={classes.versionChip} style={{ '--version-color': versionCssColor(i) } as React.CSSProperties} data-version={v.tag}>
              {versionName(v)}
            </span>
          ))}
        </Group>
      </Group>
      <Group gap="sm" align="flex-start" wrap="nowrap">
        <Text size="xs" c="dimmed" mt={10} className={classes.layerLabel}>
          {t('adjudication.layer.versions')}
        </Text>
        <div className={classes.versions} style={{ flex: 1, minWidth: 0 }} data-testid="versions-text">
          <SpanText model={model} spans={overlay.spans} suggestions={NO_SPANS} state={highlight} colors={overlay.colors} onSelect={ignore} focused={false} ariaLabel={t('adjudication.layer.versionsLabel')} />
          {overlay.spans.length === 0 && (
            <Text size="xs" c="dimmed" mt={-6}>
              {t('adjudication.layer.noEntities')}
            </Text>
          )}
        </div>
      </Group>
      <Group gap="sm" align="flex-start" wrap="nowrap">
        <Stack gap={2} mt={10} className={classes.layerLabel}>
          <Text size="xs" c="dimmed">
            {t('adjudication.layer.decision')}
          </Text>
          {editing ? (
            <Badge size="xs" color="indigo" leftSection={<IconPencil size={10} />} data-testid="span-editing">
              {t('adjudication.layer.editing')}
            </Badge>
          ) : (
            <Text size="xs" c="dimmed">
              <Kbd size="xs">{editKey}</Kbd> {t('adjudication.layer.editHint')}
            </Text>
          )}
        </Stack>
        <div className={classes.decision} data-editing={editing ? '' : undefined} style={{ flex: 1, minWidth: 0 }} data-testid="decision-text">
          <SpanText
            model={model}
            spans={editing ? editing.spans : decided}
            suggestions={NO_SPANS}
            state={editing ? editing.editor : highlight}
            colors={typeColors}
            onSelect={(editor) => editing && useAdjudication.getState().setEditing({ ...editing, editor })}
            focused={!!editing}
            ariaLabel={t('adjudication.layer.decisionLabel')}
          />
          {editing && (
            <Group gap={6} mt={4} mb={4} data-testid="entity-legend">
              {schema.entities.types.map((e) => (
                <Badge key={e.name} variant="dot" color={e.color} size="sm" tt="none" rightSection={e.hotkey ? <Kbd size="xs">{e.hotkey}</Kbd> : null}>
                  {e.name}
                </Badge>
              ))}
            </Group>
          )}
        </div>
      </Group>
    </Stack>
  );
}
