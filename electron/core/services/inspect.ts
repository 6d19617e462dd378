import type { FileInspection, ImportFormat } from '../../../shared/contract/schemas';
import { parse as parseCsvSync } from 'csv-parse/sync';
import { sniffFile } from '../importers/encoding';
import { annotatorColumnsInfo } from '../importers/annotatorColumns';

/** Guesses the format from the name and the first bytes; reads a few lines and the CSV header. */
export async function inspectFile(path: string, format?: ImportFormat): Promise<FileInspection> {
  const sniffed = await sniffFile(path);
  const head = sniffed.head.subarray(sniffed.bomLength);
  const text = sniffed.encoding.startsWith('utf-16')
    ? new TextDecoder(sniffed.encoding).decode(head)
    : new TextDecoder(sniffed.encoding).decode(head);
  const lines = text.split(/\r?\n/).filter((l) => l.trim());
  let chosen = format ?? guessFormat(path, lines[0] ?? '');
  let columns: string[] | null = null;
  if ((chosen === 'csv' || chosen === 'tsv' || chosen === 'annotator-columns') && lines[0]) {
    try {
      const [header] = parseCsvSync(lines[0], {
        delimiter: chosen === 'tsv' ? '\t' : ',',
        quote: chosen === 'tsv' ? false : '"',
        relax_quotes: true,
      }) as string[][];
      columns = (header ?? []).map((h) => h.trim());
    } catch {
      columns = lines[0].split(chosen === 'tsv' ? '\t' : ',').map((h) => h.trim());
    }
  }
  let annotatorColumns: FileInspection['annotatorColumns'];
  if (columns && (chosen === 'annotator-columns' || (chosen === 'csv' && !format))) {
    const info = annotatorColumnsInfo(columns);
    // A CSV whose header has several annotators' one-hot groups is most likely meant as such.
    if (chosen === 'annotator-columns' || (info.annotators.length >= 2 && info.oneHotFields.length > 0)) {
      chosen = 'annotator-columns';
      annotatorColumns = info;
    }
  }
  return {
    path,
    sizeBytes: sniffed.sizeBytes,
    format: chosen,
    encoding: sniffed.encoding,
    columns,
    sample: lines.slice(0, 5).map((l) => l.slice(0, 500)),
    ...(annotatorColumns ? { annotatorColumns } : {}),
  };
}

export function guessFormat(path: string, firstLine: string): ImportFormat {
  const lower = path.toLowerCase();
  if (lower.endsWith('.tsv')) return 'tsv';
  if (lower.endsWith('.csv')) return 'csv';
  if (lower.endsWith('.txt')) return 'txt';
  if (lower.endsWith('.json') || firstLine.trimStart().startsWith('[')) return 'labelstudio';
  if (/"(start_offset|label)"\s*:\s*\[\s*\[?/.test(firstLine) && !/"entities"\s*:\s*\[\s*\{\s*"start"/.test(firstLine)) return 'doccano';
  return lower.endsWith('.jsonl') || firstLine.trimStart().startsWith('{') ? 'jsonl' : 'txt';
}
