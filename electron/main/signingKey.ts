import fs from 'node:fs';
import path from 'node:path';
import { safeStorage } from 'electron';
import { newPrivateKeyPem } from '../core/packs/keys';

/**
 * The workstation's Ed25519 signing key (packs and result packs), kept encrypted by the OS keystore
 * (Electron safeStorage: Keychain, DPAPI, libsecret) in `<userData>/keys/ed25519.pem.enc`, made on
 * first use. Null where the OS offers no keystore: the core then keeps the key in a file of its own,
 * readable by the user only.
 */
export function signingKeyFromKeystore(userData: string): string | null {
  if (!safeStorage.isEncryptionAvailable()) return null;
  const file = path.join(userData, 'keys', 'ed25519.pem.enc');
  if (fs.existsSync(file)) return safeStorage.decryptString(fs.readFileSync(file));
  const pem = newPrivateKeyPem();
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  fs.writeFileSync(`${file}.partial`, safeStorage.encryptString(pem), { mode: 0o600 });
  fs.renameSync(`${file}.partial`, file);
  return pem;
}
