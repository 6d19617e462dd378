import { createHash } from 'node:crypto';
import { strFromU8, strToU8, unzipSync, zipSync } from 'fflate';
import { AppError } from '../../../shared/contract/errors';
import { verifySignature, type Signer } from './keys';

/**
 * A signed archive: a ZIP file (any unzip tool lists it) with `manifest.json` and the files it lists
 * with their sha256 and size, signed as a whole: the Ed25519 signature of every byte of the file
 * up to the end-of-central-directory's comment length is the archive's comment. So a change to any
 * byte (a file's data, the manifest, a header, the signature itself) is refused, even one that
 * would decompress to the same text.
 */
export const MANIFEST = 'manifest.json';

export interface ArchiveFile {
  path: string;
  sha256: string;
  bytes: number;
}

export interface SignedManifest {
  format: string;
  version: number;
  /** The signer's public key (base64url of the raw Ed25519 key). */
  signer: string;
  files: ArchiveFile[];
  [key: string]: unknown;
}

const EOCD_SIGNATURE = 0x06054b50;
const EOCD_SIZE = 22;
/** Offset of the comment length in the end-of-central-directory record: what comes before is signed. */
const COMMENT_LENGTH_AT = 20;

const sha256 = (data: Uint8Array) => createHash('sha256').update(data).digest('hex');

export function writeSignedArchive<M extends { format: string; version: number }>(manifest: M, files: Record<string, string | Uint8Array>, signer: Signer): Uint8Array {
  const data: Record<string, Uint8Array> = {};
  for (const [name, content] of Object.entries(files)) data[name] = typeof content === 'string' ? strToU8(content) : content;
  const listed: ArchiveFile[] = Object.entries(data).map(([p, bytes]) => ({ path: p, sha256: sha256(bytes), bytes: bytes.length }));
  const manifestBytes = strToU8(JSON.stringify({ ...manifest, signer: signer.publicKey, files: listed }, null, 2) + '\n');
  // Fixed timestamps: the same content gives the same archive bytes.
  const mtime = new Date('2000-01-01T00:00:00Z');
  const zip = zipSync({ [MANIFEST]: [manifestBytes, { mtime }], ...Object.fromEntries(Object.entries(data).map(([n, b]) => [n, [b, { mtime }]])) }, { level: 6 });
  const eocd = zip.length - EOCD_SIZE;
  const signature = strToU8(JSON.stringify({ algorithm: 'ed25519', key: signer.publicKey, signature: signer.sign(zip.subarray(0, eocd + COMMENT_LENGTH_AT)) }));
  const out = new Uint8Array(zip.length + signature.length);
  out.set(zip);
  out.set(signature, zip.length);
  new DataView(out.buffer).setUint16(eocd + COMMENT_LENGTH_AT, signature.length, true);
  return out;
}

export interface OpenedArchive<M extends SignedManifest = SignedManifest> {
  manifest: M;
  text(name: string): string;
  has(name: string): boolean;
}

const refuse = (reason: string, kind: string): AppError => new AppError('BAD_FILE', reason, { reason: kind });

/** The signature in the archive's comment and the bytes it signs; null when the file does not end in one. */
function signatureOf(bytes: Uint8Array): { signed: Uint8Array; signature: Record<string, unknown> } | null {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (let at = bytes.length - EOCD_SIZE; at >= Math.max(0, bytes.length - EOCD_SIZE - 0xffff); at--) {
    if (view.getUint32(at, true) !== EOCD_SIGNATURE) continue;
    const length = view.getUint16(at + COMMENT_LENGTH_AT, true);
    if (at + EOCD_SIZE + length !== bytes.length) continue;
    try {
      return { signed: bytes.subarray(0, at + COMMENT_LENGTH_AT), signature: JSON.parse(strFromU8(bytes.subarray(at + EOCD_SIZE))) as Record<string, unknown> };
    } catch {
      return null;
    }
  }
  return null;
}

/** Opens and verifies a signed archive; throws BAD_FILE with the reason (details.reason: not-zip, signature, tampered …). */
export function openSignedArchive<M extends SignedManifest>(bytes: Uint8Array, format: string): OpenedArchive<M> {
  const found = signatureOf(bytes);
  if (!found) throw refuse('the file does not end in a signed ZIP directory: it is truncated, changed or not a pack', 'not-signed');
  let entries: Record<string, Uint8Array>;
  try {
    entries = unzipSync(bytes);
  } catch (error) {
    throw refuse(`not a complete ZIP archive (${(error as Error).message}): the file is truncated or not a pack`, 'not-zip');
  }
  const manifestBytes = entries[MANIFEST];
  if (!manifestBytes) throw refuse('the archive has no manifest', 'incomplete');
  let manifest: M;
  try {
    manifest = JSON.parse(strFromU8(manifestBytes)) as M;
  } catch {
    throw refuse('the manifest is not valid JSON', 'tampered');
  }
  const { signature, signed } = found;
  if (signature.algorithm !== 'ed25519' || signature.key !== manifest.signer || typeof signature.signature !== 'string') {
    throw refuse('the signature does not name the manifest’s signer', 'signature');
  }
  if (!verifySignature(manifest.signer, signed, signature.signature)) throw refuse('the signature does not match: the file was changed after it was signed', 'signature');
  if (manifest.format !== format) throw refuse(`this is not a ${format} file (it says ${JSON.stringify(manifest.format)})`, 'wrong-kind');
  const listed = new Set<string>();
  for (const f of manifest.files ?? []) {
    const data = entries[f.path];
    if (!data) throw refuse(`${f.path} is listed in the manifest but missing`, 'tampered');
    if (data.length !== f.bytes || sha256(data) !== f.sha256) throw refuse(`${f.path} was changed after the pack was signed`, 'tampered');
    listed.add(f.path);
  }
  for (const name of Object.keys(entries)) {
    if (name !== MANIFEST && !listed.has(name)) throw refuse(`${name} is in the archive but not in the signed manifest`, 'tampered');
  }
  return {
    manifest,
    has: (name) => listed.has(name),
    text: (name) => {
      const data = entries[name];
      if (!data || !listed.has(name)) throw refuse(`the pack has no ${name}`, 'incomplete');
      return strFromU8(data);
    },
  };
}
