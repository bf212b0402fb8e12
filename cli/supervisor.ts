import { spawn, type ChildProcess } from 'node:child_process';

export interface SupervisedChild {
  /** The running child's process id; undefined while it is down (waiting to be restarted). */
  readonly pid: number | undefined;
  /** Restarts so far. */
  readonly restarts: number;
  /** Stops supervising and ends the child (SIGTERM, then SIGKILL after `killAfterMs`). */
  stop(): Promise<void>;
}

export interface SuperviseOptions {
  /** How the log names the child, e.g. "The PDF generator". */
  name: string;
  command: string;
  args: string[];
  env?: NodeJS.ProcessEnv;
  log: (line: string) => void;
  /** Delay before the first restart (default 1 s); doubled after each quick failure. */
  initialDelayMs?: number;
  /** Largest delay between restarts (default 30 s). */
  maxDelayMs?: number;
  /** A child that ran this long before it stopped restarts after the initial delay again (default 60 s). */
  resetAfterMs?: number;
  /** Grace period between SIGTERM and SIGKILL on stop (default 10 s). */
  killAfterMs?: number;
}

/**
 * Runs a child process and restarts it whenever it stops, with exponential backoff, until stopped:
 * what `npm start` does for the processes it runs beside the API (the PDF generator). Every start and
 * stop is logged with the process id, the exit code or signal and the delay before the restart.
 */
export function supervise(options: SuperviseOptions): SupervisedChild {
  const initialDelay = options.initialDelayMs ?? 1000;
  const maxDelay = options.maxDelayMs ?? 30_000;
  const resetAfter = options.resetAfterMs ?? 60_000;
  let child: ChildProcess | undefined;
  let delay = initialDelay;
  let restarts = 0;
  let stopping = false;
  let timer: NodeJS.Timeout | undefined;

  const run = () => {
    timer = undefined;
    const started = Date.now();
    const current = spawn(options.command, options.args, { stdio: ['ignore', 'inherit', 'inherit'], env: options.env ?? process.env });
    child = current;
    current.once('spawn', () => options.log(`${options.name} started (pid ${current.pid})`));
    let ended = false;
    const onEnded = (code: number | null, signal: NodeJS.Signals | null) => {
      if (ended) return;
      ended = true;
      child = undefined;
      if (stopping) return;
      if (Date.now() - started >= resetAfter) delay = initialDelay;
      options.log(
        `${options.name} (pid ${current.pid ?? '?'}) stopped (${signal ?? `exit code ${code}`}); restarting in ${delay >= 1000 ? `${delay / 1000} s` : `${delay} ms`}`,
      );
      timer = setTimeout(() => {
        restarts++;
        run();
      }, delay);
      delay = Math.min(maxDelay, delay * 2);
    };
    current.once('error', (error) => {
      options.log(`${options.name} could not be started: ${error.message}`);
      if (current.pid === undefined) onEnded(null, null);
    });
    current.once('close', onEnded);
  };
  // A parent that is shutting down restarts nothing: Ctrl-C reaches the whole process group, so the
  // child may stop on its own before stop() is called.
  const shuttingDown = () => {
    stopping = true;
    if (timer) clearTimeout(timer);
  };
  process.once('SIGINT', shuttingDown);
  process.once('SIGTERM', shuttingDown);
  run();

  return {
    get pid() {
      return child?.pid;
    },
    get restarts() {
      return restarts;
    },
    stop() {
      shuttingDown();
      process.off('SIGINT', shuttingDown);
      process.off('SIGTERM', shuttingDown);
      const running = child;
      if (!running || running.exitCode !== null || running.signalCode !== null) return Promise.resolve();
      return new Promise<void>((resolve) => {
        const kill = setTimeout(() => running.kill('SIGKILL'), options.killAfterMs ?? 10_000);
        running.once('close', () => {
          clearTimeout(kill);
          resolve();
        });
        running.kill('SIGTERM');
      });
    },
  };
}
