import type { PairwiseMatrix, ProjectReport, RenderedReport, ReportFormat } from '../../../../shared/contract/reports';
import { CsvNumber, writeCsv, type CsvValue } from '../../csv/writeCsv';
import { reportText, type ReportLanguage } from './text';

const f3 = (x: number | null | undefined): string => (x === null || x === undefined ? '' : x.toFixed(3));
const pct = (x: number | null | undefined): string => (x === null || x === undefined ? '' : `${(x * 100).toFixed(1)}%`);
/** A table cell for a statistic: a number (so a CSV keeps -0.250 a number), shown with `digits` decimals; empty when undefined. */
const num = (x: number | null | undefined, digits = 3): CsvNumber | '' => (x === null || x === undefined ? '' : CsvNumber.of(x, digits));

/** The report's sections as tables: a title, a header and rows each. */
export function reportTables(r: ProjectReport, lang: ReportLanguage): { title: string; header: string[]; rows: CsvValue[][] }[] {
  const t = reportText(lang);
  const name = new Map(r.annotators.map((a) => [a.id, a.name]));
  return [
    {
      title: t.agreement,
      header: [
        t.task,
        t.items,
        t.annotators,
        t.percent,
        'Fleiss κ',
        t.low,
        t.high,
        'Krippendorff α',
        t.low,
        t.high,
        'Cohen κ (mean)',
        t.exactF1,
        t.overlapF1,
        t.boundary,
        t.type,
        t.missing,
      ],
      rows: r.agreement.map((a) => [
        t.tasks[a.task],
        a.items,
        a.annotators,
        num(a.percent),
        num(a.fleiss?.value),
        num(a.fleiss?.low),
        num(a.fleiss?.high),
        num(a.alpha?.value),
        num(a.alpha?.low),
        num(a.alpha?.high),
        num(a.cohenMean),
        num(a.spans?.exactF1),
        num(a.spans?.overlapF1),
        a.spans?.boundary ?? '',
        a.spans?.type ?? '',
        a.spans?.missing ?? '',
      ]),
    },
    {
      title: t.perLabel,
      header: [t.task, t.label, t.uses, t.percent, 'α', 'F1'],
      rows: r.perLabel.map((l) => [t.tasks[l.task], l.label, l.uses, num(l.percent), num(l.alpha), num(l.f1)]),
    },
    { title: t.confusions, header: [t.task, 'A', 'B', t.count], rows: r.confusions.map((c) => [t.tasks[c.task], c.a, c.b, c.count]) },
    {
      title: t.perAnnotator,
      header: [
        t.annotator,
        t.items,
        t.submitted,
        t.goldAccuracy,
        t.goldN,
        t.majorityAccuracy,
        t.majorityN,
        t.sentimentGold,
        t.sentimentMajority,
        t.entitiesGoldF1,
        t.itemsPerHour,
        t.medianSeconds,
        t.selfConsistency,
        t.acceptRate,
        t.acceptedWrongRate,
        t.outliers,
        t.adjudicatedAccuracy,
        t.adjudicatedN,
        t.sentimentAdjudicated,
      ],
      rows: r.perAnnotator.map((a) => [
        a.name,
        a.items,
        a.submitted,
        num(a.vsGold.intents.accuracy),
        a.vsGold.intents.n,
        num(a.vsMajority.intents.accuracy),
        a.vsMajority.intents.n,
        num(a.vsGold.sentiment.accuracy),
        num(a.vsMajority.sentiment.accuracy),
        num(a.vsGold.entitiesF1),
        num(a.speed.itemsPerHour, 1),
        num(a.speed.medianSeconds, 1),
        num(a.selfConsistency.agreement),
        num(a.suggestions.acceptRate),
        num(a.suggestions.acceptedWrongRate),
        a.outlier.map((o) => t.outlier[o]).join('; '),
        num(a.vsAdjudicated.intents.accuracy),
        a.vsAdjudicated.intents.n,
        num(a.vsAdjudicated.sentiment.accuracy),
      ]),
    },
    {
      title: t.perAnnotatorLabel,
      header: [t.annotator, t.label, 'P', 'R', 'F1', t.support],
      rows: r.perAnnotator.flatMap((a) => a.perLabel.map((l) => [a.name, l.label, num(l.precision), num(l.recall), num(l.f1), l.support])),
    },
    {
      title: t.drift,
      header: [t.annotator, t.day, t.items, t.accuracy],
      rows: r.perAnnotator.flatMap((a) => a.drift.map((d) => [a.name, d.day, d.n, num(d.accuracy)])),
    },
    ...(hasAdjudication(r) ? adjudicationTables(r, lang) : []),
    ...r.pairwise.map((p) => ({
      title: `${t.pairwise} · ${t.tasks[p.task]}`,
      header: ['', ...p.annotatorIds.map((id) => name.get(id) ?? id)],
      rows: p.matrix.map((row, i) => [name.get(p.annotatorIds[i]!) ?? p.annotatorIds[i], ...row.map((v) => num(v))]),
    })),
    {
      title: t.disagreements,
      header: [t.ord, t.text, t.disagreement, ...r.annotators.map((a) => a.name)],
      rows: r.disagreements.map((d) => [
        d.ord,
        d.text,
        num(d.disagreement),
        ...r.annotators.map((a) => {
          const x = d.annotations.find((n) => n.annotatorId === a.id);
          return x ? [x.intents.join('|'), x.sentiment ?? '', `${x.entities} ${t.spans}`].filter(Boolean).join(' / ') : '';
        }),
      ]),
    },
  ];
}

/** Whether the project has anything adjudicated, queued or reviewed in the report (else its tables are left out). */
export function hasAdjudication(r: ProjectReport): boolean {
  const a = r.adjudication;
  return a.progress.queued > 0 || a.decisions.human + a.decisions.auto > 0 || a.reviewers.length > 0;
}

/** The adjudication section: progress, automatic resolutions, decisions, reviewers, reasons, overrides per annotator. */
function adjudicationTables(r: ProjectReport, lang: ReportLanguage): { title: string; header: string[]; rows: CsvValue[][] }[] {
  const t = reportText(lang);
  const a = r.adjudication;
  const p = a.progress;
  const codes = a.reasons.map((x) => x.code);
  // Codes an override names that the reasons table lacks (it lists every code met, so normally none).
  for (const person of r.perAnnotator) for (const b of person.overrides.byReason) if (b.code !== null && !codes.includes(b.code)) codes.push(b.code);
  return [
    {
      title: t.adjProgress,
      header: [t.adjState, t.items],
      rows: (['disputed', 'auto', 'human', 'flagged', 'queued'] as const).map((s) => [t.adjStates[s], p[s]]),
    },
    { title: t.adjByPolicy, header: [t.adjPolicy, t.items], rows: a.autoByPolicy.map((x) => [x.policy, x.items]) },
    {
      title: t.adjDecisions,
      header: [t.adjState, t.fields],
      rows: (['human', 'auto', 'withReason', 'overridesMajority'] as const).map((k) => [t.adjDecisionKinds[k], a.decisions[k]]),
    },
    {
      title: t.adjReviewers,
      header: [
        t.reviewer,
        t.itemsResolved,
        t.flagged,
        t.commits,
        t.fieldDecisions,
        t.overridesMajority,
        t.workHours,
        t.itemsPerHour,
        t.firstCommit,
        t.lastCommit,
      ],
      rows: a.reviewers.map((x) => [
        x.name,
        x.items,
        x.flagged,
        x.commits,
        x.fields,
        x.overridesMajority,
        num(x.hours, 2),
        num(x.itemsPerHour, 1),
        x.firstAt,
        x.lastAt,
      ]),
    },
    {
      title: t.adjReasons,
      header: [t.reasonCode, t.reasonLabel, t.fields, t.items, t.overridesMajority, t.guidelineRef],
      rows: a.reasons.map((x) => [
        x.code,
        x.configured ? x.label : `${x.label} (${t.notConfigured})`,
        x.fields,
        x.items,
        x.overridesMajority,
        x.guidelineRef,
      ]),
    },
    {
      title: t.adjOverrides,
      header: [t.annotator, t.adjudicatedItems, t.overriddenByPerson, t.overriddenAuto, ...codes, t.noReason],
      rows: r.perAnnotator.map((person) => {
        const o = person.overrides;
        const by = new Map(o.byReason.map((b) => [b.code, b.count]));
        return [person.name, o.adjudicated, o.overridden, o.auto, ...codes.map((c) => by.get(c) ?? 0), by.get(null) ?? 0];
      }),
    },
  ];
}

/** Every table as a title row, a header row and its rows, an empty line between tables. */
function toCsv(r: ProjectReport, lang: ReportLanguage): string {
  return writeCsv(reportTables(r, lang).flatMap((table, i) => [...(i ? [[]] : []), [table.title], table.header, ...table.rows]));
}

const esc = (s: unknown): string =>
  String(s ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/** Cell colour for an agreement value: red (0 or less) through yellow to green (1). */
function heat(v: number | null): string {
  if (v === null) return '#e9ecef';
  const x = Math.max(0, Math.min(1, v));
  return `hsl(${Math.round(x * 120)}, 65%, ${Math.round(88 - x * 18)}%)`;
}

function heatmap(p: PairwiseMatrix, name: Map<string, string>): string {
  const head = p.annotatorIds.map((id) => `<th>${esc(name.get(id) ?? id)}</th>`).join('');
  const body = p.matrix
    .map(
      (row, i) =>
        `<tr><th>${esc(name.get(p.annotatorIds[i]!) ?? p.annotatorIds[i])}</th>${row
          .map((v, j) => `<td style="background:${heat(v)}" title="${p.shared[i]![j]} items">${v === null ? '—' : v.toFixed(2)}</td>`)
          .join('')}</tr>`,
    )
    .join('');
  return `<table class="heat"><tr><th></th>${head}</tr>${body}</table>`;
}

/** A horizontal bar per value (0…1), as inline SVG: no script, no external file. */
function bars(entries: { label: string; value: number | null }[]): string {
  const rowH = 22;
  const w = 520;
  const items = entries.filter((e) => e.value !== null).slice(0, 40);
  const svg = items
    .map((e, i) => {
      const v = Math.max(0, Math.min(1, e.value!));
      return `<text x="0" y="${i * rowH + 15}" font-size="12">${esc(e.label)}</text><rect x="160" y="${i * rowH + 4}" width="${Math.round(v * (w - 220))}" height="14" fill="${heat(v)}" stroke="#868e96" stroke-width="0.5"/><text x="${166 + Math.round(v * (w - 220))}" y="${i * rowH + 15}" font-size="11">${e.value!.toFixed(3)}</text>`;
    })
    .join('');
  return `<svg width="${w}" height="${items.length * rowH + 6}" role="img">${svg}</svg>`;
}

function toHtml(r: ProjectReport, lang: ReportLanguage): string {
  const t = reportText(lang);
  const name = new Map(r.annotators.map((a) => [a.id, a.name]));
  const tables = reportTables(r, lang)
    .filter((table) => !table.title.startsWith(t.pairwise))
    .map(
      (table) =>
        `<h2>${esc(table.title)}</h2><div class="scroll"><table><tr>${table.header.map((h) => `<th>${esc(h)}</th>`).join('')}</tr>${table.rows
          .map((row) => `<tr>${row.map((c) => `<td>${esc(c)}</td>`).join('')}</tr>`)
          .join('')}</table></div>`,
    )
    .join('\n');
  const heatmaps = r.pairwise.map((p) => `<h3>${esc(t.tasks[p.task])}</h3>${heatmap(p, name)}`).join('');
  const alphaBars = bars(r.perLabel.filter((l) => l.task !== 'entities').map((l) => ({ label: `${t.tasks[l.task]} · ${l.label}`, value: l.alpha })));
  const f1Bars = bars(r.perLabel.filter((l) => l.task === 'entities').map((l) => ({ label: l.label, value: l.f1 })));
  const filter = [
    r.filter.from ? `${t.from} ${r.filter.from}` : '',
    r.filter.to ? `${t.to} ${r.filter.to}` : '',
    r.filter.annotatorIds.length ? `${t.annotators}: ${r.filter.annotatorIds.map((id) => name.get(id) ?? id).join(', ')}` : '',
    r.filter.labels.length ? `${t.label}: ${r.filter.labels.join(', ')}` : '',
  ]
    .filter(Boolean)
    .join(' · ');
  return `<!doctype html>
<html lang="${lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(t.title)} · ${esc(r.projectName)}</title>
<style>
body{font-family:system-ui,-apple-system,"PingFang SC","Noto Sans CJK SC","Microsoft YaHei",sans-serif;margin:24px;color:#212529;max-width:1200px}
h1{font-size:22px;margin:0 0 4px}h2{font-size:17px;margin:28px 0 8px;border-bottom:1px solid #dee2e6;padding-bottom:4px}h3{font-size:14px;margin:14px 0 6px}
.meta{color:#868e96;font-size:13px}.scroll{overflow-x:auto}
table{border-collapse:collapse;font-size:12.5px;font-variant-numeric:tabular-nums}th,td{border:1px solid #dee2e6;padding:4px 8px;text-align:left;vertical-align:top}
th{background:#f8f9fa}table.heat td{text-align:center;min-width:48px}
.cards{display:flex;gap:12px;flex-wrap:wrap}.card{border:1px solid #dee2e6;border-radius:8px;padding:10px 14px;min-width:180px}.card b{font-size:20px}
@media (prefers-color-scheme: dark){body{background:#1a1b1e;color:#e9ecef}th{background:#25262b}th,td{border-color:#373a40}}
</style></head><body>
<h1>${esc(t.title)} · ${esc(r.projectName)}</h1>
<div class="meta">${esc(t.generated)} ${esc(r.generatedAt)}${filter ? ` · ${esc(filter)}` : ''} · ${r.totals.annotations} ${esc(t.annotationsWord)}, ${r.totals.overlapItems} ${esc(t.overlapWord)}, ${r.totals.annotators} ${esc(t.annotators)}</div>
<div class="cards">${r.agreement
    .map(
      (a) =>
        `<div class="card">${esc(t.tasks[a.task])}<br>${
          a.task === 'entities'
            ? `<b>${f3(a.spans?.exactF1) || '—'}</b> ${esc(t.exactF1)}`
            : `<b>${f3(a.alpha?.value) || '—'}</b> α [${f3(a.alpha?.low)}, ${f3(a.alpha?.high)}]<br>κ ${f3(a.fleiss?.value) || '—'} · ${esc(t.percent)} ${pct(a.percent)}`
        }<br><span class="meta">${a.items} ${esc(t.items)}</span></div>`,
    )
    .join('')}</div>
<h2>${esc(t.perLabelChart)}</h2>${alphaBars}${f1Bars}
<h2>${esc(t.pairwise)}</h2>${heatmaps}
${tables}
${hasAdjudication(r) ? `<p class="meta">${esc(t.adjNote)}</p>` : ''}
</body></html>
`;
}

/** The report as a file to save. */
export function renderReport(r: ProjectReport, format: ReportFormat, lang: ReportLanguage): RenderedReport {
  const stamp = r.generatedAt.slice(0, 10);
  const base = `${r.projectName.replace(/[\\/:*?"<>|\s]+/g, '_')}-report-${stamp}`;
  if (format === 'json') return { fileName: `${base}.json`, mime: 'application/json', content: `${JSON.stringify(r, null, 2)}\n` };
  if (format === 'csv') return { fileName: `${base}.csv`, mime: 'text/csv', content: toCsv(r, lang) };
  return { fileName: `${base}.html`, mime: 'text/html', content: toHtml(r, lang) };
}
