import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';

const ROOT = path.join(__dirname, '..', '..');

/**
 * One `attestflow <command>` process (api, worker, render-worker) as it runs in production: its
 * output kept for waiting and for the failure message, stopped by `stop()` or `kill()`.
 */
export class ServiceProcess {
  readonly child: ChildProcess;
  output = '';
  private readonly exited: Promise<void>;

  constructor(
    readonly name: string,
    command: string,
    env: Record<string, string>,
  ) {
    this.child = spawn(process.execPath, [path.join(ROOT, 'bin', 'attestflow.js'), command], {
      cwd: ROOT,
      // PGAPPNAME names this process's PostgreSQL connections (node-postgres reads it), so a test can
      // tell in pg_stat_activity which process a waiting backend belongs to.
      env: { ...process.env, ...env, PGAPPNAME: name },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const append = (chunk: Buffer) => (this.output += chunk.toString());
    this.child.stdout!.on('data', append);
    this.child.stderr!.on('data', append);
    this.exited = new Promise((resolve) => this.child.once('exit', () => resolve()));
  }

  get pid(): number {
    return this.child.pid!;
  }

  get running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  /** Resolves with the first match of `pattern` in the output; rejects when the process exits first. */
  waitForOutput(pattern: RegExp): Promise<RegExpMatchArray> {
    return new Promise((resolve, reject) => {
      const look = () => {
        const match = this.output.match(pattern);
        if (!match) return false;
        cleanup();
        resolve(match);
        return true;
      };
      const exited = () => {
        cleanup();
        reject(new Error(`${this.name} exited (${this.child.exitCode ?? this.child.signalCode}) before ${pattern}:\n${this.output}`));
      };
      const cleanup = () => {
        this.child.stdout!.off('data', look);
        this.child.stderr!.off('data', look);
        this.child.off('exit', exited);
      };
      // Registered after the listeners that append to `output`, so they see each chunk appended.
      this.child.stdout!.on('data', look);
      this.child.stderr!.on('data', look);
      this.child.once('exit', exited);
      if (!look() && !this.running) exited();
    });
  }

  /** SIGKILL: no shutdown hook runs, as when a machine or container dies. Resolves once it has exited. */
  async kill(): Promise<void> {
    if (this.running) this.child.kill('SIGKILL');
    await this.exited;
  }

  /**
   * SIGTERM (the graceful shutdown), then SIGKILL if it has not exited after `graceMs`: for cleanup,
   * where a process stuck in its shutdown must not keep the test run alive.
   */
  async stop(graceMs = 15_000): Promise<void> {
    if (!this.running) return this.exited;
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), graceMs);
    await this.exited;
    clearTimeout(timer);
  }
}
