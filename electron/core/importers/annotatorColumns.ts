import { AppError } from '../../../shared/contract/errors';
import type { AnnotatorColumnsInfo, ColumnMapping } from '../../../shared/contract/schemas';
import { recordTextAndMeta } from './csv';
import { LineProblem, type ImportRecord, type ImportedAnnotation } from './record';

/**
 * CSV with one column group per annotator (ConvAbuse and the like): besides the item's own columns
 * (text, id, metadata), every annotator has the same set of columns, named "<annotator>_<field>"
 * (a yes/no flag) or "<annotator>_<field>.<value>" (one-hot: the value whose cell is 1). A row
 * gives one annotation per annotator whose cells are not all empty; the mapping says which one-hot
 * field is the sentiment level and which flags (or which one-hot field) are the intents.
 */

const TEXT_COLUMNS = ['text', 'content', 'utterance', 'sentence', 'query', 'review', 'message', 'user', '文本', '内容', '句子'];
const ID_COLUMNS = ['id', 'example_id', 'item_id', 'sample_id'];
const SENTIMENT_FIELDS = ['sentiment', 'polarity', '情感', '情绪'];
const INTENT_FIELDS = ['intent', 'intents', '意图'];
const SEPARATOR = '_';

export interface OneHotField {
  name: string;
  values: string[];
}

export interface AnnotatorGroup {
  name: string;
  /** Every column of the group, in header order: all empty means this annotator did not judge the row. */
  columns: number[];
  oneHot: Map<string, { value: string; column: number }[]>;
  flags: Map<string, number>;
}

export interface AnnotatorLayout {
  groups: AnnotatorGroup[];
  oneHot: OneHotField[];
  flags: string[];
  /** Columns outside every group (text, id, metadata). */
  other: number[];
  /** How each column is named in messages (a repaired duplicate says what it is read as). */
  labels: Map<number, string>;
  warnings: string[];
}

/** Finds the annotator groups of a header. Never throws: oddities become warnings. */
export function detectAnnotatorLayout(header: string[], pattern?: RegExp): AnnotatorLayout {
  const split = header.map((name) => splitColumn(name, pattern));
  let annotators: Set<string>;
  if (pattern) annotators = new Set(split.flatMap((s) => (s ? [s.annotator] : [])));
  else {
    // The default "<prefix>_<rest>": prefixes are annotators when they share fields with another prefix.
    const fieldsOf = new Map<string, Set<string>>();
    for (const s of split) if (s) fieldsOf.set(s.annotator, (fieldsOf.get(s.annotator) ?? new Set()).add(s.key));
    annotators = new Set();
    const prefixes = [...fieldsOf.keys()];
    for (const a of prefixes) {
      for (const b of prefixes) {
        if (a !== b && shared(fieldsOf.get(a)!, fieldsOf.get(b)!) >= 2) annotators.add(a);
      }
    }
  }

  const warnings: string[] = [];
  const labels = new Map<number, string>();
  const owner: ({ annotator: string; key: string } | null)[] = header.map(() => null);
  const seen = new Set<string>();
  const duplicates: number[] = [];
  header.forEach((name, i) => {
    const s = split[i];
    if (!s || !annotators.has(s.annotator)) return;
    if (seen.has(name)) duplicates.push(i);
    else {
      seen.add(name);
      owner[i] = s;
    }
  });
  const keysOf = (annotator: string) => new Set(owner.flatMap((o) => (o && o.annotator === annotator ? [o.key] : [])));
  for (const i of duplicates) {
    // A repeated name inside another annotator's block is a copy-paste slip in the header (ConvAbuse
    // has three "Annotator6_transphobic"): read it as that annotator's column if they lack one.
    const s = split[i]!;
    const before = nearestOwner(owner, i, -1);
    const after = nearestOwner(owner, i, 1);
    if (before !== undefined && before === after && before !== s.annotator && !keysOf(before).has(s.key)) {
      owner[i] = { annotator: before, key: s.key };
      labels.set(i, `${header[i]} (column ${i + 1}, read as ${before}'s)`);
      warnings.push(`column ${i + 1} is named "${header[i]}" again but sits among ${before}'s columns, who has no "${s.key}": read as ${before}'s`);
    } else {
      labels.set(i, `${header[i]} (column ${i + 1})`);
      warnings.push(`column ${i + 1} repeats the name "${header[i]}"; ignored`);
    }
  }

  const groups = new Map<string, AnnotatorGroup>();
  const oneHot = new Map<string, string[]>();
  const flags: string[] = [];
  const oneHotNames = new Set(owner.flatMap((o) => (o && fieldOf(o.key).value !== null ? [fieldOf(o.key).field] : [])));
  const other: number[] = [];
  header.forEach((name, i) => {
    const o = owner[i];
    if (!o) {
      if (!duplicates.includes(i)) other.push(i);
      return;
    }
    const { field, value } = fieldOf(o.key);
    if (value === null && oneHotNames.has(field)) {
      warnings.push(`column ${i + 1} "${name}" is a yes/no column of "${field}", which also has one-hot "${field}.<value>" columns; ignored`);
      return;
    }
    let group = groups.get(o.annotator);
    if (!group) groups.set(o.annotator, (group = { name: o.annotator, columns: [], oneHot: new Map(), flags: new Map() }));
    group.columns.push(i);
    if (value === null) {
      group.flags.set(field, i);
      if (!flags.includes(field)) flags.push(field);
    } else {
      group.oneHot.set(field, [...(group.oneHot.get(field) ?? []), { value, column: i }]);
      const values = oneHot.get(field) ?? [];
      if (!values.includes(value)) values.push(value);
      oneHot.set(field, values);
    }
  });
  return {
    groups: [...groups.values()],
    oneHot: [...oneHot].map(([name, values]) => ({ name, values })),
    flags,
    other,
    labels,
    warnings,
  };
}

function nearestOwner(owner: ({ annotator: string } | null)[], from: number, step: 1 | -1): string | undefined {
  for (let i = from + step; i >= 0 && i < owner.length; i += step) if (owner[i]) return owner[i]!.annotator;
  return undefined;
}

function splitColumn(name: string, pattern: RegExp | undefined): { annotator: string; key: string } | null {
  if (pattern) {
    const m = pattern.exec(name);
    return m && m[1] && m[2] ? { annotator: m[1], key: m[2] } : null;
  }
  const at = name.indexOf(SEPARATOR);
  return at > 0 && at < name.length - 1 ? { annotator: name.slice(0, at), key: name.slice(at + 1) } : null;
}

function fieldOf(key: string): { field: string; value: string | null } {
  const dot = key.indexOf('.');
  return dot > 0 && dot < key.length - 1 ? { field: key.slice(0, dot), value: key.slice(dot + 1) } : { field: key, value: null };
}

function shared(a: Set<string>, b: Set<string>): number {
  let n = 0;
  for (const x of a) if (b.has(x)) n++;
  return n;
}

/** The annotator pattern of a mapping as a RegExp with two groups; a bad one refuses the import. */
export function annotatorPattern(path: string, mapping: ColumnMapping | undefined): RegExp | undefined {
  const source = mapping?.annotatorPattern;
  if (!source) return undefined;
  let re: RegExp;
  try {
    re = new RegExp(source, 'u');
  } catch (error) {
    throw new AppError(
      'BAD_FILE',
      `${path}: the annotator pattern ${JSON.stringify(source)} is not a regular expression: ${(error as Error).message}`,
      {
        file: path,
        reason: 'bad-mapping',
      },
    );
  }
  if (new RegExp(`${source}|`, 'u').exec('')!.length < 3) {
    throw new AppError('BAD_FILE', `${path}: the annotator pattern ${JSON.stringify(source)} needs two groups, (annotator)(field)`, {
      file: path,
      reason: 'bad-mapping',
    });
  }
  return re;
}

/** The mapping an import uses when its request names none, from the header alone. */
export function defaultAnnotatorMapping(header: string[], layout: AnnotatorLayout): AnnotatorColumnsInfo['defaults'] {
  const others = layout.other.map((i) => header[i]!);
  const guess = (candidates: string[], from: string[]) =>
    candidates.map((c) => from.find((h) => h.toLowerCase() === c)).find((h) => h !== undefined) ?? null;
  const oneHotNames = layout.oneHot.map((f) => f.name);
  const sentimentField =
    guess(SENTIMENT_FIELDS, oneHotNames) ?? layout.oneHot.find((f) => f.values.every((v) => Number.isFinite(Number(v))))?.name ?? null;
  const intentField = guess(
    INTENT_FIELDS,
    oneHotNames.filter((n) => n !== sentimentField),
  );
  return {
    text: guess(TEXT_COLUMNS, others),
    id: guess(ID_COLUMNS, others),
    sentimentField,
    intentField,
    intentFlags: intentField ? [] : [...layout.flags],
  };
}

/** What the import dialog shows about a header. */
export function annotatorColumnsInfo(header: string[], pattern?: RegExp): AnnotatorColumnsInfo {
  const layout = detectAnnotatorLayout(header, pattern);
  return {
    annotators: layout.groups.map((g) => g.name),
    oneHotFields: layout.oneHot,
    flagFields: layout.flags,
    otherColumns: layout.other.map((i) => header[i]!),
    defaults: defaultAnnotatorMapping(header, layout),
    warnings: layout.warnings,
  };
}

export interface ResolvedAnnotatorColumns {
  layout: AnnotatorLayout;
  text: number;
  id: number | null;
  meta: number[];
  sentimentField: string | null;
  intentField: string | null;
  intentFlags: string[];
}

/**
 * The header and the request's mapping, checked: a mapped column or field the file lacks refuses the
 * file. What the mapping leaves out (undefined) is detected from the header; "" means none.
 */
export function resolveAnnotatorMapping(path: string, header: string[], mapping: ColumnMapping | undefined): ResolvedAnnotatorColumns {
  const refuse = (message: string, column: string): never => {
    throw new AppError('BAD_FILE', `${path}: line 1: ${message}`, { file: path, line: 1, reason: 'missing-column', column });
  };
  const layout = detectAnnotatorLayout(header, annotatorPattern(path, mapping));
  if (!layout.groups.length) {
    refuse(
      `no annotator column groups ("<annotator>_<field>" or "<annotator>_<field>.<value>", the same fields for several annotators) in the header (columns: ${header.join(', ')})`,
      '',
    );
  }
  const defaults = defaultAnnotatorMapping(header, layout);
  const others = layout.other.map((i) => header[i]!);
  const column = (name: string, role: string): number => {
    const i = layout.other.find((o) => header[o] === name);
    if (i === undefined) {
      refuse(`there is no column "${name}" for the ${role} outside the annotators' columns (columns: ${others.join(', ')})`, name);
    }
    return i!;
  };
  const textName = mapping?.text ?? defaults.text;
  if (!textName) refuse(`no text column; name it (columns: ${others.join(', ')})`, '');
  const text = column(textName!, 'text');
  const idName = mapping?.id !== undefined ? mapping.id : defaults.id;
  const id = idName ? column(idName, 'id') : null;
  const meta = mapping?.meta ? mapping.meta.map((m) => column(m, 'metadata')) : layout.other.filter((i) => i !== text && i !== id);

  const oneHotNames = layout.oneHot.map((f) => f.name);
  const oneHotField = (name: string | undefined, fallback: string | null, role: string): string | null => {
    const chosen = name === undefined ? fallback : name || null;
    if (chosen !== null && !oneHotNames.includes(chosen)) {
      refuse(
        `no one-hot field "${chosen}" ("<annotator>_${chosen}.<value>" columns) for the ${role} (one-hot fields: ${oneHotNames.join(', ') || 'none'})`,
        chosen,
      );
    }
    return chosen;
  };
  const sentimentField = oneHotField(mapping?.sentimentField, defaults.sentimentField, 'sentiment');
  const intentField = oneHotField(mapping?.intentField, defaults.intentField, 'intent');
  if (sentimentField !== null && sentimentField === intentField)
    refuse(`"${sentimentField}" cannot be both the sentiment and the intent`, sentimentField);
  const intentFlags = mapping?.intentFlags ?? (mapping?.intentField ? [] : defaults.intentFlags);
  for (const flag of intentFlags) {
    if (!layout.flags.includes(flag))
      refuse(`no yes/no field "${flag}" ("<annotator>_${flag}" columns) for an intent (yes/no fields: ${layout.flags.join(', ') || 'none'})`, flag);
  }
  return { layout, text, id, meta, sentimentField, intentField, intentFlags: [...new Set(intentFlags)] };
}

type Cell = 0 | 1 | null | { conflict: string };

/**
 * A cell: empty, 0 or 1 (also true/false). Some exports join an annotator's repeated judgements of
 * the same row with commas ("1, 1"): repeats that agree are that value; repeats that differ are
 * reported when the column matters.
 */
function readCell(raw: string, label: string): Cell {
  const text = raw.trim();
  if (!text) return null;
  const parts = text.split(',').map((p) => p.trim().toLowerCase());
  const values = parts.map((p) => (p === '1' || p === 'true' ? 1 : p === '0' || p === 'false' ? 0 : null));
  if (values.some((v) => v === null)) throw new LineProblem(`column "${label}": ${JSON.stringify(raw)} is not 0, 1 or empty`);
  return values.every((v) => v === values[0]) ? values[0]! : { conflict: raw };
}

export function annotatorColumnsRecordToItem(record: string[], line: number, header: string[], c: ResolvedAnnotatorColumns): ImportRecord {
  const { text, meta } = recordTextAndMeta(record, header, c.text, c.meta);

  const annotations: ImportedAnnotation[] = [];
  for (const group of c.layout.groups) {
    const label = (i: number) => c.layout.labels.get(i) ?? header[i]!;
    const cells = new Map<number, Cell>();
    for (const i of group.columns) cells.set(i, readCell(record[i]!, label(i)));
    if ([...cells.values()].every((v) => v === null)) continue;
    const value = (i: number): 0 | 1 | null => {
      const v = cells.get(i) ?? null;
      if (v !== null && typeof v === 'object') {
        throw new LineProblem(`${group.name} judged this row more than once, differently: column "${label(i)}" is ${JSON.stringify(v.conflict)}`);
      }
      return v;
    };
    const chosen = (field: string): string | null => {
      const on = (group.oneHot.get(field) ?? []).filter((o) => value(o.column) === 1);
      if (on.length > 1) throw new LineProblem(`${group.name}: more than one ${field} (${on.map((o) => o.value).join(', ')})`);
      return on[0]?.value ?? null;
    };
    const annotation: ImportedAnnotation = { annotator: group.name };
    if (c.sentimentField !== null) {
      const sentiment = chosen(c.sentimentField);
      if (sentiment !== null) annotation.sentiment = sentiment;
    }
    if (c.intentField !== null || c.intentFlags.length) {
      const intent = c.intentField !== null ? chosen(c.intentField) : null;
      const flags = c.intentFlags.filter((f) => group.flags.has(f) && value(group.flags.get(f)!) === 1);
      annotation.intents = intent !== null ? [intent, ...flags.filter((f) => f !== intent)] : flags;
    }
    if (annotation.sentiment !== undefined || annotation.intents !== undefined) annotations.push(annotation);
  }
  return {
    line,
    text,
    externalId: c.id !== null ? record[c.id] || null : null,
    meta,
    gold: false,
    annotations,
    suggestions: [],
  };
}
