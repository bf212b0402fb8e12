import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';

import { WEB_BUILD_DIR, WEB_SOURCE_DIR } from '../api/common/browser-app';

const ROOT = path.join(__dirname, '..');
const STAMP = path.join(WEB_BUILD_DIR, '.source-hash');
const SKIPPED = new Set(['dist', 'node_modules']);

function sourceFiles(dir: string): string[] {
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .filter((entry) => !SKIPPED.has(entry.name))
    .flatMap((entry) => (entry.isDirectory() ? sourceFiles(path.join(dir, entry.name)) : [path.join(dir, entry.name)]))
    .sort();
}

/** SHA-256 over every source file of web/ (name and bytes) and the lock file, which fixes the libraries bundled. */
export function browserAppSourceHash(): string {
  const hash = createHash('sha256');
  for (const file of [...sourceFiles(WEB_SOURCE_DIR), path.join(ROOT, 'package-lock.json')]) {
    hash.update(path.relative(ROOT, file)).update('\0').update(fs.readFileSync(file)).update('\0');
  }
  return hash.digest('hex');
}

export type BrowserAppBuild = 'fresh' | 'built' | 'unavailable';

/**
 * Builds the browser app when web/dist is missing or older than its sources, so that `npm ci &&
 * npm start` on a fresh clone serves it. Where Vite is not installed (an image without dev
 * dependencies, which builds at image build time instead), a stale or missing build is reported
 * and the API still starts.
 */
export async function ensureBrowserAppBuilt(log: (line: string) => void): Promise<BrowserAppBuild> {
  const wanted = browserAppSourceHash();
  if (fs.existsSync(STAMP) && fs.readFileSync(STAMP, 'utf8').trim() === wanted) return 'fresh';
  const vite = path.join(ROOT, 'node_modules', 'vite', 'bin', 'vite.js');
  if (!fs.existsSync(vite)) {
    log(
      `The browser app's build in ${path.relative(ROOT, WEB_BUILD_DIR)} is ${fs.existsSync(WEB_BUILD_DIR) ? 'older than its sources' : 'missing'} and Vite is not installed to build it.`,
    );
    return 'unavailable';
  }
  log('Building the browser app (web/ → web/dist) …');
  await promisify(execFile)(process.execPath, [vite, 'build', WEB_SOURCE_DIR, '--logLevel', 'error'], {
    cwd: ROOT,
    // Always the production build, whoever asks (jest runs with NODE_ENV=test, which made Vite emit
    // React's development JSX, file names and all, into a build that npm start then served as fresh).
    env: { ...process.env, NODE_ENV: 'production' },
    timeout: 300_000,
    maxBuffer: 16 * 1024 * 1024,
  });
  fs.writeFileSync(STAMP, `${wanted}\n`);
  log('Built the browser app.');
  return 'built';
}
