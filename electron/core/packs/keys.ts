import { createPrivateKey, createPublicKey, generateKeyPairSync, sign, verify, type KeyObject } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

/**
 * Where a workstation keeps its Ed25519 private key: never in the database. The shell passes one
 * backed by the OS keystore (Electron safeStorage); the CLI and tests use a file beside the database,
 * readable by its owner only.
 */
export interface KeyStore {
  load(): string | null;
  save(pkcs8Pem: string): void;
}

export function fileKeyStore(dbPath: string): KeyStore {
  const file = path.join(path.dirname(path.resolve(dbPath)), `${path.basename(dbPath)}-keys`, 'ed25519.pem');
  return {
    load: () => (fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : null),
    save: (pem) => {
      fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
      fs.writeFileSync(file, pem, { mode: 0o600 });
    },
  };
}

/** A key the owner of the core already holds (the shell read it from the OS keystore): never written here. */
export function memoryKeyStore(pkcs8Pem: string): KeyStore {
  return {
    load: () => pkcs8Pem,
    save: () => {
      throw new Error('this key store is read-only');
    },
  };
}

/** A new Ed25519 private key, PKCS#8 PEM. */
export function newPrivateKeyPem(): string {
  return generateKeyPairSync('ed25519').privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
}

/** A signer: the workstation's key pair, its public key as base64url of the raw 32 bytes. */
export interface Signer {
  readonly publicKey: string;
  sign(data: Uint8Array): string;
}

function publicKeyOf(key: KeyObject): string {
  const jwk = createPublicKey(key).export({ format: 'jwk' });
  if (typeof jwk.x !== 'string') throw new Error('not an Ed25519 key');
  return jwk.x;
}

/** The workstation's key, made on first use and kept in `store`. */
export function workstationSigner(store: KeyStore): Signer {
  let pem = store.load();
  if (!pem) {
    pem = newPrivateKeyPem();
    store.save(pem);
  }
  const key = createPrivateKey(pem);
  return { publicKey: publicKeyOf(key), sign: (data) => sign(null, data, key).toString('base64url') };
}

/** Whether `signature` (base64url) is `publicKey`'s Ed25519 signature of `data`; false for any malformed input. */
export function verifySignature(publicKey: string, data: Uint8Array, signature: string): boolean {
  try {
    const key = createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: publicKey }, format: 'jwk' });
    return verify(null, data, key, Buffer.from(signature, 'base64url'));
  } catch {
    return false;
  }
}

/** A short, readable form of a public key for messages (the first 16 characters). */
export const fingerprint = (publicKey: string): string => publicKey.slice(0, 16);
