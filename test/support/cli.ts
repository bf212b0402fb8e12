import { spawnSync } from 'node:child_process';
import path from 'node:path';

const ROOT = path.join(__dirname, '..', '..');

/** Runs `attestflow <args>` as a person would, against the given environment. */
export function attestflow(args: string[], env: Record<string, string>): { code: number | null; output: string } {
  const result = spawnSync(process.execPath, [path.join(ROOT, 'bin', 'attestflow.js'), ...args], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    encoding: 'utf8',
  });
  return { code: result.status, output: `${result.stdout}${result.stderr}` };
}
