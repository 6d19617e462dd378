import { useEffect, useState } from 'react';
import { Alert, Badge, Card, Code, Drawer, Group, Loader, Stack, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { ItemDetail } from '../../../../shared/contract/schemas';
import type { LabelSchema } from '../../../../shared/domain/labelSchema';
import type { SpanValue } from '../../../../shared/domain/annotation';
import { call } from '../../ipc/client';
import { errorText } from '../../app/errors';
import { HighlightedText } from './HighlightedText';

interface Props {
  itemId: string | null;
  schema: LabelSchema;
  onClose(): void;
}

/** One item: its text, metadata, every annotator's annotation and the model's suggestions. */
export function ItemDrawer({ itemId, schema, onClose }: Props) {
  const { t } = useTranslation();
  return (
    <Drawer opened={!!itemId} onClose={onClose} position="right" size="lg" title={<Title order={4}>{t('items.detail')}</Title>}>
      {itemId && <ItemDetailView key={itemId} itemId={itemId} schema={schema} />}
    </Drawer>
  );
}

function ItemDetailView({ itemId, schema }: { itemId: string; schema: LabelSchema }) {
  const { t } = useTranslation();
  const [detail, setDetail] = useState<ItemDetail | null>(null);
  const [error, setError] = useState<unknown>(null);
  const colors = Object.fromEntries(schema.entities.types.map((e) => [e.name, e.color]));

  useEffect(() => {
    call('items.get', { itemId }).then(setDetail, setError);
  }, [itemId]);

  return (
    <>
      {!!error && <Alert color="red">{errorText(t, error)}</Alert>}
      {!detail && !error && <Loader size="sm" />}
      {detail && (
        <Stack gap="lg" data-testid="item-detail">
          <Card withBorder>
            <Text size="lg" style={{ whiteSpace: 'pre-wrap' }}>
              {detail.item.text}
            </Text>
            <Group gap="xs" mt="sm">
              <Badge variant="light">#{detail.item.ord}</Badge>
              {detail.item.gold && <Badge color="yellow">{t('items.gold')}</Badge>}
              {detail.item.sourceFile && (
                <Badge variant="outline" color="gray">
                  {detail.item.sourceFile}:{detail.item.sourceLine}
                </Badge>
              )}
            </Group>
          </Card>
          {Object.keys(detail.item.meta).length > 0 && (
            <div>
              <Text fw={600} mb={4}>
                {t('items.meta')}
              </Text>
              <Code block>{JSON.stringify(detail.item.meta, null, 2)}</Code>
            </div>
          )}
          <div>
            <Text fw={600} mb={4}>
              {t('items.annotationsOf')}
            </Text>
            {detail.annotations.length === 0 && <Text c="dimmed">{t('items.noAnnotations')}</Text>}
            <Stack gap="sm">
              {detail.annotations.map((a) => (
                <Card key={a.annotatorId} withBorder padding="sm" data-annotator={a.annotator}>
                  <Group justify="space-between" mb={6}>
                    <Text fw={600}>{a.annotator}</Text>
                    <Group gap={6}>
                      {a.flagged && <Badge color="orange">{t('items.flagged')}</Badge>}
                      <Badge variant="light" color={a.status === 'submitted' ? 'teal' : 'gray'}>
                        {t(`items.status_${a.status}`)}
                      </Badge>
                    </Group>
                  </Group>
                  <Group gap={6} mb={6}>
                    {a.intents.map((i) => (
                      <Badge key={i}>{i}</Badge>
                    ))}
                    {a.sentiment && (
                      <Badge color="grape" variant="outline">
                        {a.sentiment}
                      </Badge>
                    )}
                  </Group>
                  {a.entities.length > 0 && <HighlightedText text={detail.item.text} spans={a.entities} colors={colors} />}
                </Card>
              ))}
            </Stack>
          </div>
          {detail.suggestions.length > 0 && (
            <div>
              <Text fw={600} mb={4}>
                {t('items.suggestions')}
              </Text>
              <Stack gap={4}>
                {detail.suggestions.map((s) => (
                  <Group key={s.id} gap={6}>
                    <Badge variant="dot">{t(`items.${s.kind}`)}</Badge>
                    {s.kind === 'entities' ? (
                      <HighlightedText text={detail.item.text} spans={s.value as SpanValue[]} colors={colors} />
                    ) : (
                      <Text size="sm">{Array.isArray(s.value) ? s.value.join(', ') : String(s.value)}</Text>
                    )}
                    <Text size="xs" c="dimmed">
                      {s.modelVersion}
                      {s.score !== null ? ` · ${s.score.toFixed(2)}` : ''}
                    </Text>
                  </Group>
                ))}
              </Stack>
            </div>
          )}
        </Stack>
      )}
    </>
  );
}
