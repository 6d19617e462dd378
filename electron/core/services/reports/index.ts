import type { ProjectReport, ReportFilter } from '../../../../shared/contract/reports';
import { multiLabelAgreement } from '../../../../shared/domain/agreement';
import type { DB } from '../../db/open';
import { currentSchema, getProject } from '../../db/repos/projects';
import { adjudicationSection, loadAdjudicatedValues } from './adjudication';
import { annotatorReports } from './annotators';
import { loadQualitySettings } from './qualitySettings';
import { categoricalAgreement, confusedPairs, perCategoryAgreement } from './categorical';
import { codedTable, reportScope, scopeItemIds } from './codes';
import { mostDisagreedItems } from './disagreements';
import { loadReportData, spanParser } from './load';
import type { ReportReadOptions } from './parallelRead';
import { spanAgreementReport } from './spans';

/**
 * The project's quality report: agreement per task and per label, which labels people confuse, the
 * items with the most disagreement, each annotator's accuracy (against gold, else the item's
 * adjudicated value, else the majority), speed, drift, self-consistency, reliance on suggestions and
 * how often adjudications overrode them, and the adjudication's progress, reasons and throughput.
 * Intents are compared by their first label (multi-label projects also per label), sentiment on its
 * ordinal scale, entities span by span.
 */
export async function buildProjectReport(
  db: DB,
  projectId: string,
  filter: ReportFilter,
  now: () => Date = () => new Date(),
  options: ReportReadOptions = {},
): Promise<ProjectReport> {
  const started = performance.now();
  const project = getProject(db, projectId);
  const schema = currentSchema(db, projectId);
  const data = await loadReportData(db, projectId, schema, filter, options);
  const wanted = new Set(filter.labels);
  const parse = spanParser();
  const keep = (item: number): boolean => {
    if (!wanted.size) return true;
    for (let r = data.itemStart[item]!; r < data.itemStart[item + 1]!; r++) {
      if (data.intentsOf(r).some((c) => wanted.has(data.intents[c]!))) return true;
      if (data.level[r]! >= 0 && wanted.has(data.levels[data.level[r]!]!)) return true;
      if (parse(data.entitiesJson[r]!).some((s) => wanted.has(s.label))) return true;
    }
    return false;
  };
  const scope = reportScope(data, keep);
  const itemIds = scopeItemIds(data, scope);
  const intentTable = codedTable(data, scope, data.intent, data.intents, itemIds);
  const levelTable = codedTable(data, scope, data.level, data.levels, itemIds);
  const intents = categoricalAgreement('intents', intentTable, 'nominal', 'unweighted');
  const sentiment = categoricalAgreement('sentiment', levelTable, 'ordinal', 'quadratic');
  const entities = spanAgreementReport(data, scope);
  const perLabel = [...intentLabelAgreement(data, scope, intentTable), ...perCategoryAgreement('sentiment', levelTable), ...entities.perLabel];
  const pairwise = [intents.pairwise, sentiment.pairwise, entities.pairwise];
  // After the agreement tables: an adjudicated label nobody in the filter gave joins data.intents here.
  const adjudicated = loadAdjudicatedValues(db, projectId, data);

  let overlapItems = 0;
  let annotations = 0;
  let goldItems = 0;
  for (const item of scope.items) {
    let raters = 0;
    for (let r = data.itemStart[item]!; r < data.itemStart[item + 1]!; r++) if (scope.column[data.annotator[r]!]! >= 0) raters++;
    annotations += raters;
    if (raters >= 2) overlapItems++;
    if (data.itemGold[item]) goldItems++;
  }
  const report: ProjectReport = {
    projectId,
    projectName: project.name,
    generatedAt: now().toISOString(),
    filter,
    totals: {
      items: project.itemCount,
      annotatedItems: scope.items.length,
      overlapItems,
      goldItems,
      annotations,
      annotators: scope.raters.length,
    },
    annotators: scope.raters.map((a) => ({ id: data.annotators[a]!.id, name: data.annotators[a]!.name })),
    agreement: [intents.agreement, sentiment.agreement, entities.agreement],
    perLabel,
    pairwise,
    confusions: [...confusedPairs('intents', intentTable), ...confusedPairs('sentiment', levelTable)].sort((a, b) => b.count - a.count),
    disagreements: mostDisagreedItems(db, data, scope, { intents: intentTable, sentiment: levelTable }, entities.itemDisagreement),
    perAnnotator: annotatorReports(data, scope, pairwise, adjudicated, loadQualitySettings(db, projectId)),
    adjudication: adjudicationSection(db, projectId, data, scope, filter, adjudicated),
    seconds: 0,
  };
  report.seconds = Math.round(performance.now() - started) / 1000;
  return report;
}

/**
 * Per intent: in a single-label project, the first-intent table collapsed to yes/no per label; in a
 * multi-label one, each label's own yes/no decisions.
 */
function intentLabelAgreement(
  data: Awaited<ReturnType<typeof loadReportData>>,
  scope: ReturnType<typeof reportScope>,
  table: ReturnType<typeof codedTable>,
) {
  if (!data.multiLabel) return perCategoryAgreement('intents', table);
  const m = scope.raters.length;
  const items = Array.from(scope.items, (item) => {
    const values: (string[] | null)[] = new Array<string[] | null>(m).fill(null);
    for (let r = data.itemStart[item]!; r < data.itemStart[item + 1]!; r++) {
      const j = scope.column[data.annotator[r]!]!;
      if (j >= 0 && data.submitted[r]) values[j] = data.intentsOf(r).map((c) => data.intents[c]!);
    }
    return { id: data.itemIds[item]!, labels: values };
  });
  return multiLabelAgreement({ annotators: scope.raters.map((a) => data.annotators[a]!.id), items }).map((l) => ({
    task: 'intents' as const,
    label: l.label,
    uses: l.present,
    percent: l.percentAgreement.value,
    alpha: l.krippendorffAlpha.value,
    f1: null,
  }));
}
