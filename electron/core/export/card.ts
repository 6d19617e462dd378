/**
 * README.md of a bundle: the Hugging Face dataset card (YAML header with configs and
 * `dataset_info`, then splits, label counts and provenance in Markdown).
 */
import { hfFeaturesYaml } from './formats';
import { FORMAT_FILE, type ExportFeatures, type ExportFormat } from './types';

// A small YAML emitter for the card header (strings JSON-quoted: JSON strings are YAML).

export type Yaml = string | number | boolean | null | Yaml[] | { [k: string]: Yaml };

function yamlScalar(v: string | number | boolean | null): string {
  if (v === null) return 'null';
  if (typeof v === 'string') return /^[A-Za-z_][A-Za-z0-9_./-]*$/.test(v) && !/^(true|false|null|yes|no|on|off)$/i.test(v) ? v : JSON.stringify(v);
  return String(v);
}

function yamlKey(k: string): string {
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(k) ? k : JSON.stringify(k);
}

export function toYaml(v: Yaml, indent = ''): string {
  if (Array.isArray(v)) {
    if (!v.length) return `${indent}[]\n`;
    return v
      .map((e) => {
        if (e !== null && typeof e === 'object') {
          const body = toYaml(e, indent + '  ');
          return `${indent}- ${body.slice(indent.length + 2)}`;
        }
        return `${indent}- ${yamlScalar(e)}\n`;
      })
      .join('');
  }
  if (v !== null && typeof v === 'object') {
    const entries = Object.entries(v);
    if (!entries.length) return `${indent}{}\n`;
    return entries
      .map(([k, e]) => {
        if (e !== null && typeof e === 'object' && (Array.isArray(e) ? e.length : Object.keys(e).length)) {
          return `${indent}${yamlKey(k)}:\n${toYaml(e, indent + '  ')}`;
        }
        if (e !== null && typeof e === 'object') return `${indent}${yamlKey(k)}: ${Array.isArray(e) ? '[]' : '{}'}\n`;
        return `${indent}${yamlKey(k)}: ${yamlScalar(e)}\n`;
      })
      .join('');
  }
  return `${indent}${yamlScalar(v)}\n`;
}

/** Per split, per kind (intent, sentiment, entity), per label: the number of exported items / spans. */
export type LabelCounts = Record<string, Record<string, Record<string, number>>>;

export interface CardInput {
  projectName: string;
  schemaVersion: number;
  license: string;
  formats: readonly ExportFormat[];
  features: ExportFeatures;
  splitSizes: Record<string, number>;
  labelCounts: LabelCounts;
  createdAt: Date;
  appVersion: string;
  exportSchemaVersion: number;
  policy: { labels: string; minAnnotators: number; includeGold: boolean; redact: string; dedup: string };
  annotators: number;
  excluded: Record<string, number>;
  dedup: { removed: number; exactClusters: number; nearClusters: number };
  redaction: Record<string, number>;
  guidelineVersion: number | null;
  warnings: readonly string[];
}

export function datasetCard(c: CardInput): string {
  const cardFormat = c.formats.includes('hf-jsonl') ? 'hf-jsonl' : c.formats.includes('parquet') ? 'parquet' : null;
  const header: Record<string, Yaml> = {
    language: ['zh'],
    license: c.license,
    task_categories: ['text-classification', 'token-classification'],
    pretty_name: c.projectName,
  };
  if (cardFormat) {
    header.configs = [
      {
        config_name: 'default',
        data_files: Object.keys(c.splitSizes).map((s) => ({ split: s === 'data' ? 'train' : s, path: `${s}${FORMAT_FILE[cardFormat].suffix}` })),
      },
    ];
  }
  header.dataset_info = {
    features: hfFeaturesYaml(c.features) as unknown as Yaml,
    splits: Object.entries(c.splitSizes).map(([s, n]) => ({ name: s === 'data' ? 'train' : s, num_examples: n })),
  };
  const body: string[] = [`# ${c.projectName}`, '', `Exported ${c.createdAt.toISOString()} by the annotation workstation ${c.appVersion}.`, ''];
  body.push('## Splits and labels', '');
  for (const [s, n] of Object.entries(c.splitSizes)) {
    body.push(`### ${s} (${n} items)`, '');
    const counts = c.labelCounts[s] ?? {};
    for (const kind of ['intent', 'sentiment', 'entity']) {
      const entries = Object.entries(counts[kind] ?? {}).sort((a, b) => b[1] - a[1]);
      if (!entries.length) continue;
      body.push(`| ${kind} | count |`, '| --- | ---: |', ...entries.map(([l, v]) => `| ${l.replace(/\|/g, '\\|')} | ${v} |`), '');
    }
  }
  const { policy } = c;
  body.push('## Provenance', '');
  body.push(`- Label policy: ${policy.labels} (min annotators ${policy.minAnnotators}; gold items ${policy.includeGold ? 'included' : 'left out'})`);
  body.push(`- Annotators who labelled the exported items: ${c.annotators}`);
  body.push(
    `- Excluded: ${
      Object.entries(c.excluded)
        .filter(([, n]) => n > 0)
        .map(([r, n]) => `${r} ${n}`)
        .join(', ') || 'none'
    }`,
  );
  body.push(
    `- Deduplication: ${policy.dedup}; ${c.dedup.removed} items removed (${c.dedup.exactClusters} exact clusters, ${c.dedup.nearClusters} near clusters)`,
  );
  body.push(
    `- Redaction: ${policy.redact}; ${
      Object.entries(c.redaction)
        .map(([t, n]) => `${t} ${n}`)
        .join(', ') || 'nothing replaced'
    }`,
  );
  body.push(`- Label schema version: ${c.schemaVersion}`);
  body.push(`- Guideline version: ${c.guidelineVersion !== null ? `${c.guidelineVersion} (GUIDELINE.md)` : 'none'}`);
  for (const w of c.warnings) body.push(`- Warning: ${w}`);
  body.push(`- Export schema version: ${c.exportSchemaVersion}; app version: ${c.appVersion}`);
  body.push('', 'Entity offsets are Unicode code points, end-exclusive (Python `text[start:end] == entity["text"]`).', '');
  return `---\n${toYaml(header)}---\n\n${body.join('\n')}`;
}
