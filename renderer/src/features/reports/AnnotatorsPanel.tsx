import { useRef } from 'react';
import { Stack } from '@mantine/core';
import type { ProjectReport } from '../../../../shared/contract/reports';
import { useRowList } from '../../commands';
import { AnnotatorDetail } from './AnnotatorDetail';
import { AnnotatorTable } from './AnnotatorTable';
import { PairwiseHeatmap } from './PairwiseHeatmap';

/**
 * Everyone's figures in one table; the selected annotator's details below it (they follow the
 * selection; Enter brings them into view), and the pairwise agreement of all.
 */
export function AnnotatorsPanel({ report }: { report: ProjectReport }) {
  const people = report.perAnnotator;
  const detail = useRef<HTMLDivElement>(null);
  const list = useRowList({
    id: `reports\u0000${report.projectId}\u0000annotators`,
    count: people.length,
    keyOf: (i) => people[i]!.annotatorId,
    onOpen: () => detail.current?.scrollIntoView({ block: 'nearest' }),
  });
  const current = people[list.selected] ?? null;
  return (
    <Stack gap="md">
      <AnnotatorTable annotators={people} list={list} />
      {current && <AnnotatorDetail ref={detail} annotator={current} />}
      <PairwiseHeatmap matrices={report.pairwise} annotators={report.annotators} highlight={current?.annotatorId ?? null} />
    </Stack>
  );
}
