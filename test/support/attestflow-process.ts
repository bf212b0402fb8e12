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

/** Every `attestflow start` of this test file not yet seen to exit, so that cleanup reaches one that never said it was running. */
const started = new Set<ChildProcess>();

/**
 * Starts `attestflow start` in a process group of its own (so that `killStartedAttestflows` also
 * reaches the Temporal dev server and the PDF generator it started); resolves once it is running.
 */
export function startAttestflow(env: NodeJS.ProcessEnv): Promise<RunningAttestflow> {
  const child = spawn(process.execPath, [path.join(ROOT, 'bin', 'attestflow.js'), 'start'], {
    cwd: ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  started.add(child);
  child.once('exit', () => started.delete(child));
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

/**
 * Cleanup after a failure: SIGKILL to the whole process group (the dev server and PDF generator too)
 * of every `attestflow start` this file started that is still running; resolves once each has exited.
 */
export async function killStartedAttestflows(): Promise<void> {
  await Promise.all(
    [...started].map(
      (child) =>
        new Promise<void>((resolve) => {
          if (child.exitCode !== null || child.signalCode !== null) return resolve();
          child.once('exit', () => resolve());
          try {
            process.kill(-child.pid!, 'SIGKILL');
          } catch {
            resolve(); // the group is gone already
          }
        }),
    ),
  );
}
