// `attestflow start` as its own process, as a person runs it: API, worker, PDF generator and, with
// TEMPORAL_ADDRESS unset, the Temporal dev server persisting to DATA_DIR/temporal.db.
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';

const ROOT = path.join(__dirname, '..', '..');

export interface RunningAttestflow {
  child: ChildProcess;
  /** Everything it printed so far. */
  output(): string;
  /** The one-time passwords of the demo people it seeded (empty when users existed already). */
  seededPasswords(): Record<string, string>;
}

/**
 * Starts `attestflow start` in a process group of its own (so that `killAttestflow` also reaches the
 * Temporal dev server and the PDF generator it started) and resolves once it says it is running.
 */
export function startAttestflow(env: NodeJS.ProcessEnv): Promise<RunningAttestflow> {
  const child = spawn(process.execPath, [path.join(ROOT, 'bin', 'attestflow.js'), 'start'], {
    cwd: ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  let output = '';
  const running: RunningAttestflow = {
    child,
    output: () => output,
    seededPasswords: () =>
      Object.fromEntries([...output.matchAll(/^\[attestflow\]\s+([\w-]+)\s+([a-z0-9]{4}(?:-[a-z0-9]{4}){3})\s/gm)].map((m) => [m[1]!, m[2]!])),
  };
  return new Promise((resolve, reject) => {
    const onExit = (code: number | null) => reject(new Error(`attestflow start exited (${code}) before it was running:\n${output}`));
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('Attestflow is running')) {
        child.off('exit', onExit);
        resolve(running);
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', onExit);
  });
}

/** SIGTERM, as a service manager stops it: resolves with its exit code once it has shut down. */
export function stopAttestflow(running: RunningAttestflow): Promise<number | null> {
  const { child } = running;
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve(child.exitCode);
    child.once('exit', (code) => resolve(code));
    child.kill('SIGTERM');
  });
}

/** SIGKILL to its whole process group (the dev server and PDF generator too): cleanup after a failure. */
export function killAttestflow(running: RunningAttestflow | undefined): void {
  const pid = running?.child.pid;
  if (pid === undefined) return;
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    // The group is gone already.
  }
}
