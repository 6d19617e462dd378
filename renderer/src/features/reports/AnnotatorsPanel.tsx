import { useState } from 'react';
import { Stack } from '@mantine/core';
import type { ProjectReport } from '../../../../shared/contract/reports';
import { AnnotatorDetail } from './AnnotatorDetail';
import { AnnotatorTable } from './AnnotatorTable';
import { PairwiseHeatmap } from './PairwiseHeatmap';

/** Everyone's figures in one table; the picked annotator's details below it, and the pairwise agreement of all. */
export function AnnotatorsPanel({ report }: { report: ProjectReport }) {
  const [picked, setPicked] = useState<string | null>(null);
  const current = report.perAnnotator.find((a) => a.annotatorId === picked) ?? report.perAnnotator[0] ?? null;
  return (
    <Stack gap="md">
      <AnnotatorTable annotators={report.perAnnotator} selected={current?.annotatorId ?? null} onSelect={setPicked} />
      {current && <AnnotatorDetail annotator={current} />}
      <PairwiseHeatmap matrices={report.pairwise} annotators={report.annotators} highlight={current?.annotatorId ?? null} />
    </Stack>
  );
}
