import { bioesHead } from './bioes';
import type { EntityHead } from './tokenHead';

export interface EntityHeadJson {
  kind: 'entity-head';
  version: 1;
  scheme: 'BIOES';
  labels: string[];
  dim: number;
  window: number;
  /** Float32 little-endian, base64. */
  mean: string;
  invStd: string;
  weights: string;
  trainedOn: EntityHead['trainedOn'];
}

function floatsToBase64(a: Float32Array): string {
  const bytes = Buffer.alloc(a.length * 4);
  for (let i = 0; i < a.length; i++) bytes.writeFloatLE(a[i]!, i * 4);
  return bytes.toString('base64');
}

function base64ToFloats(s: string, expected: number, what: string): Float32Array {
  const bytes = Buffer.from(s, 'base64');
  if (bytes.length !== expected * 4) throw new Error(`entity head: ${what} has ${bytes.length / 4} values, expected ${expected}`);
  const out = new Float32Array(expected);
  for (let i = 0; i < expected; i++) out[i] = bytes.readFloatLE(i * 4);
  return out;
}

export function entityHeadToJson(head: EntityHead): EntityHeadJson {
  return {
    kind: head.kind,
    version: head.version,
    scheme: head.scheme,
    labels: [...head.labels],
    dim: head.dim,
    window: head.window,
    mean: floatsToBase64(head.mean),
    invStd: floatsToBase64(head.invStd),
    weights: floatsToBase64(head.weights),
    trainedOn: { ...head.trainedOn },
  };
}

/** Parses what entityHeadToJson wrote (object or JSON text); throws on anything else. */
export function entityHeadFromJson(json: EntityHeadJson | string): EntityHead {
  const o = (typeof json === 'string' ? JSON.parse(json) : json) as Partial<EntityHeadJson>;
  if (o.kind !== 'entity-head' || o.version !== 1 || o.scheme !== 'BIOES') throw new Error('entity head: not an entity head (kind/version/scheme)');
  if (!Array.isArray(o.labels) || !o.labels.every((l) => typeof l === 'string')) throw new Error('entity head: labels missing');
  const dim = o.dim;
  const window = o.window;
  if (!Number.isInteger(dim) || dim! < 1 || !Number.isInteger(window) || window! < 0) throw new Error('entity head: bad dim/window');
  if (typeof o.mean !== 'string' || typeof o.invStd !== 'string' || typeof o.weights !== 'string') throw new Error('entity head: arrays missing');
  const C = 1 + 4 * o.labels.length;
  const F = dim! * (2 * window! + 1);
  const t = o.trainedOn ?? { sentences: 0, tokens: 0, rows: 0, spans: 0 };
  return bioesHead({
    labels: o.labels,
    dim: dim!,
    window: window!,
    mean: base64ToFloats(o.mean, dim!, 'mean'),
    invStd: base64ToFloats(o.invStd, dim!, 'invStd'),
    weights: base64ToFloats(o.weights, C * (F + 1), 'weights'),
    trainedOn: { sentences: t.sentences, tokens: t.tokens, rows: t.rows, spans: t.spans },
  });
}
