/**
 * What the second pass needs of a spooled record besides its hf-jsonl line, as one short ASCII line
 * (names interned: the first pass writes a million of these, the second reads them back):
 *   `<index>;<types>;<annotators>;<nonString>;<intents>;<sentiment>;<entity labels>[;<context JSON>]`
 * lists comma-separated, `-` for no sentiment. Types are the redaction types (a PII type or a personal
 * entity type), nonString the metadata fields (indices into metaFields) whose value is not a string
 * (the line must be re-encoded if such a column ends up typed string), intents, sentiment and entity
 * labels are for the card's counts, context the dialogue's earlier turns (chat formats only).
 */
import type { ChatTurn } from './types';

export interface SpoolHeader {
  index: number;
  types: string[];
  annotators: number[];
  nonString: number[];
  intents: string[];
  sentiment: string | null;
  entityLabels: string[];
  context?: ChatTurn[];
}

/** Strings by number, numbers by string: one table for the whole export. */
export class Names {
  readonly list: string[] = [];
  private readonly ids = new Map<string, number>();

  id(name: string): number {
    let id = this.ids.get(name);
    if (id === undefined) {
      id = this.list.length;
      this.ids.set(name, id);
      this.list.push(name);
    }
    return id;
  }
}

function ids(xs: readonly string[], names: Names): string {
  let out = '';
  for (let i = 0; i < xs.length; i++) out += i ? `,${names.id(xs[i]!)}` : String(names.id(xs[i]!));
  return out;
}

function numbers(s: string): number[] {
  return s ? s.split(',').map(Number) : [];
}

function strings(s: string, names: readonly string[]): string[] {
  return s ? s.split(',').map((n) => names[Number(n)]!) : [];
}

export function encodeHeader(h: SpoolHeader, names: Names): string {
  const sentiment = h.sentiment === null ? '-' : names.id(h.sentiment);
  const fields = `${h.index};${ids(h.types, names)};${h.annotators.join(',')};${h.nonString.join(',')};${ids(h.intents, names)};${sentiment};${ids(h.entityLabels, names)}`;
  return h.context ? `${fields};${JSON.stringify(h.context)}` : fields;
}

export function decodeHeader(line: string, names: readonly string[]): SpoolHeader {
  const parts: string[] = [];
  let from = 0;
  for (let k = 0; k < 7; k++) {
    const semi = line.indexOf(';', from);
    parts.push(semi < 0 ? line.slice(from) : line.slice(from, semi));
    from = semi < 0 ? line.length + 1 : semi + 1;
  }
  const header: SpoolHeader = {
    index: Number(parts[0]),
    types: strings(parts[1]!, names),
    annotators: numbers(parts[2]!),
    nonString: numbers(parts[3]!),
    intents: strings(parts[4]!, names),
    sentiment: parts[5] === '-' ? null : names[Number(parts[5])]!,
    entityLabels: strings(parts[6]!, names),
  };
  if (from <= line.length) header.context = JSON.parse(line.slice(from)) as ChatTurn[];
  return header;
}
