import path from 'node:path';
import { bundleWorkflowCode } from '@temporalio/worker';
import fs from 'node:fs';
import { Command, CommanderError, InvalidArgumentError } from 'commander';
import { ConfigError, loadConfig, type AttestflowConfig } from '../config/config';
import { connectDatabase } from '../db/client';
import { migrateDatabase } from '../db/migrate';
import { seedDemoOrganisation, type SeededUser } from '../db/seed-demo';
import { runWorker } from '../api/temporal/temporal-worker';
import { createApp } from '../api/create-app';
import { databaseUnreachableMessage } from './database-unreachable';
import { verifyAuditCommand, verifyPdfCommand, verifySignatureCommand } from './verify.command';
import { ensureBrowserAppBuilt } from './browser-app-build';
import { startRenderWorker } from './render-worker';
import { RENDER_WORKER_NODE_FLAGS } from './render-worker-node-flags';
import { supervise } from './supervisor';
import { sealingIdentity } from '../config/pki-store';
import { assertOrganisationCaContinuity } from '../config/organisation-ca-continuity';
import { startTemporalDevServer, TemporalCliMissingError, type RunningDevServer } from './temporal-dev-server';
import { UserError } from './user-error';
import { traceCommand, type TraceCommandOptions } from './trace.command';
import { verifyProjectionsCommand } from './projections.command';

/** A commander option value that must be a whole number of at least 1. */
function positiveInteger(value: string): number {
  if (!/^[1-9]\d{0,3}$/.test(value)) throw new InvalidArgumentError('expected a whole number from 1 to 9999.');
  return Number(value);
}

const log = (line: string) => process.stdout.write(`[attestflow] ${line}\n`);

function printSeeded(users: SeededUser[]): void {
  log('Demo organisation created. One-time passwords (shown once; stored only as argon2id hashes):');
  const width = Math.max(...users.map((u) => u.username.length));
  for (const u of users) log(`  ${u.username.padEnd(width)}  ${u.oneTimePassword}  ${u.printedName} (${u.roles.join(', ')})`);
}

async function migrate(config: AttestflowConfig): Promise<void> {
  const { created } = await migrateDatabase(config.databaseUrl);
  log(`${created ? 'Created database and applied' : 'Applied'} migrations (${new URL(config.databaseUrl).pathname.slice(1)})`);
}

async function seed(config: AttestflowConfig): Promise<void> {
  const handle = connectDatabase(config.databaseUrl, { max: 2 });
  try {
    const users = await seedDemoOrganisation(handle.db);
    if (users) printSeeded(users);
    else log('Users exist already; demo organisation not seeded.');
  } finally {
    await handle.close();
  }
}

function onShutdown(stop: () => Promise<void>): void {
  let stopping = false;
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => {
      if (stopping) return;
      stopping = true;
      log(`${signal}: shutting down`);
      stop().then(
        () => process.exit(0),
        (error: unknown) => {
          console.error(error);
          process.exit(1);
        },
      );
    });
  }
}

async function start(config: AttestflowConfig, runApi: boolean, runWorkerInProcess: boolean): Promise<void> {
  let devServer: RunningDevServer | undefined;
  let temporalAddress = config.temporalAddress;
  if (runApi && runWorkerInProcess) {
    await migrate(config);
    if (config.seedDemo === 'auto') await seed(config);
    if (!temporalAddress) {
      devServer = await startTemporalDevServer({
        cliPath: config.temporalCliPath,
        port: config.temporalDevServerPort,
        dbFilename: path.join(config.dataDir, 'temporal.db'),
        namespace: config.temporalNamespace,
        log,
      });
      temporalAddress = devServer.address;
    }
  }
  if (!temporalAddress) throw new ConfigError('TEMPORAL_ADDRESS', 'must be set for this command (host:port of the Temporal frontend)');

  if (!runApi) {
    const database = connectDatabase(config.databaseUrl);
    try {
      await assertOrganisationCaContinuity(database.db, config);
    } catch (error) {
      await database.close();
      throw error;
    }
    const worker = await runWorker({
      address: temporalAddress,
      namespace: config.temporalNamespace,
      taskQueue: config.temporalTaskQueue,
      db: database.db,
      identity: sealingIdentity(config),
      workflowBundlePath: config.workflowBundlePath,
    });
    log(`Worker polling task queue "${config.temporalTaskQueue}" on ${temporalAddress}`);
    onShutdown(async () => {
      await worker.shutdown();
      await database.close();
    });
    await worker.done;
    return;
  }

  let app: Awaited<ReturnType<typeof createApp>>;
  try {
    await ensureBrowserAppBuilt(log);
    app = await createApp({ config, temporalAddress, runWorker: runWorkerInProcess, workflowBundlePath: config.workflowBundlePath });
  } catch (error) {
    await devServer?.stop();
    throw error;
  }
  const renderWorker = runWorkerInProcess ? spawnRenderWorker(config) : undefined;
  onShutdown(async () => {
    await app.close();
    await renderWorker?.stop();
    await devServer?.stop();
  });
  try {
    await app.listen(config.port, config.host);
  } catch (error) {
    await devServer?.stop();
    throw error;
  }
  const shown = config.host === '0.0.0.0' ? '127.0.0.1' : config.host;
  log(`Attestflow is running: http://${shown}:${config.port}/ (API docs at /api/docs, health at /api/health)`);
}

/**
 * The PDF generator runs as its own process beside the API, as it would on its own machine, restarted
 * with backoff whenever it stops (cli/supervisor.ts); dossiers wait in the database meanwhile. It
 * runs with the generator's Node flags (a bounded heap, see render-worker-node-flags.ts).
 */
function spawnRenderWorker(config: AttestflowConfig): { stop(): Promise<void> } {
  return supervise({
    name: 'The PDF generator',
    command: process.execPath,
    args: [...RENDER_WORKER_NODE_FLAGS, path.join(__dirname, '..', 'bin', 'attestflow.js'), 'render-worker'],
    log,
    initialDelayMs: config.childRestartDelayMs,
  });
}

/** Every command and option; `--help` on the program and on each command is commander's. */
export function buildProgram(): Command {
  const program = new Command('attestflow')
    .description('Attestflow eQMS: run the services, migrate and seed, verify e-signatures, sealed PDFs and the audit trail.')
    .exitOverride()
    .showHelpAfterError('(add --help for usage)')
    .addHelpText('after', '\nExit codes: 0 ok or valid, 1 invalid or broken (verify, audit verify), 2 usage or configuration error.');

  program
    .command('start')
    .description(
      'migrate, seed the demo organisation on first start, start the Temporal dev server when TEMPORAL_ADDRESS is unset, then run the API, the worker and the PDF generator',
    )
    .action(() => start(loadConfig(), true, true));
  program
    .command('api')
    .description('run the API only (needs TEMPORAL_ADDRESS)')
    .action(() => start(loadConfig(), true, false));
  program
    .command('worker')
    .description('run the Temporal worker only (needs TEMPORAL_ADDRESS)')
    .action(() => start(loadConfig(), false, true));
  program
    .command('migrate')
    .description('create the database if needed and apply migrations')
    .action(() => migrate(loadConfig()));
  program
    .command('seed-demo')
    .description('seed the demo organisation if the database has no users')
    .action(async () => {
      const config = loadConfig();
      await migrate(config);
      await seed(config);
    });
  program
    .command('bundle-workflows')
    .description('prebuild the workflow bundle (set TEMPORAL_WORKFLOW_BUNDLE to use it)')
    .argument('<file>', 'where to write the bundle')
    .action(async (out: string) => {
      const { code } = await bundleWorkflowCode({ workflowsPath: require.resolve('../workflows') });
      fs.mkdirSync(path.dirname(path.resolve(out)), { recursive: true });
      fs.writeFileSync(out, code);
      log(`Wrote workflow bundle to ${out}`);
    });
  program
    .command('build-web')
    .description('build the browser app into web/dist when it is missing or older than its sources (npm start does this too)')
    .action(async () => {
      if ((await ensureBrowserAppBuilt(log)) === 'fresh') log('The browser app in web/dist is current.');
    });
  program
    .command('render-worker')
    .description('run the PDF generator (BullMQ) only')
    .action(async () => {
      const worker = await startRenderWorker(loadConfig(), log);
      onShutdown(() => worker.close());
    });

  const audit = program.command('audit').description('the audit trail');
  audit
    .command('verify')
    .description(
      'walk the audit hash chain; name the first broken or missing event, and any events missing after the latest signed checkpoint ' +
        '(database, DATA_DIR, and each given sealed PDF or checkpoint file); exit 1 when broken',
    )
    .option(
      '--checkpoint <file>',
      'a sealed PDF, checkpoint.json or checkpoints.jsonl to check the chain against (repeatable)',
      (file: string, files: string[] = []) => [...files, file],
    )
    .option('--ca <ca.pem>', 'the organisation CA certificate (default: DATA_DIR/pki/ca.pem)')
    .option('--threads <n>', 'worker threads that walk seq ranges of the chain side by side (default: one per core from 100,000 events on)', positiveInteger)
    .action(async (options: { checkpoint?: string[]; ca?: string; threads?: number }) => {
      process.exit(await verifyAuditCommand(loadConfig(), options));
    });

  program
    .command('projections')
    .description('the tables derived from the records by triggers (the inbox, the trace cards)')
    .command('verify')
    .description('compare each derived table with the records it is kept from, row by row; exit 1 when any differs, naming the rows')
    .action(async () => {
      process.exit(await verifyProjectionsCommand(loadConfig()));
    });

  program
    .command('verify')
    .description(
      'verify one e-signature (CMS, chain, revocation, record binding), or a sealed record / dossier PDF ' +
        "(seal, embedded hashes, every signer's CMS, the audit checkpoint it carries); exit 1 when invalid",
    )
    .argument('<target>', 'a signature id, an exported signature JSON file, or a sealed PDF (file.pdf)')
    .option('--ca <ca.pem>', 'the organisation CA certificate (default: DATA_DIR/pki/ca.pem; with a PDF, no database needed)')
    .action(async (target: string, options: { ca?: string }) => {
      const config = loadConfig();
      process.exit(
        target.toLowerCase().endsWith('.pdf') ? await verifyPdfCommand(config, target, options) : await verifySignatureCommand(config, target, options),
      );
    });
  program
    .command('trace')
    .description("a lot's genealogy: everything that went into it (default), or with --forward everywhere it went")
    .argument('<lot>', 'a lot id, or a lot number (with --item when two items have a lot of that number)')
    .option('--forward', 'trace forward: the lots made from this one, recursively')
    .option('--item <part-number>', 'the item whose lot number this is')
    .option('--max-depth <n>', 'production steps to follow (default 50, at most 100)')
    .option('--json', 'print the trace as JSON (as GET /api/lots/{id}/trace returns it)')
    .action((lot: string, options: TraceCommandOptions) => traceCommand(loadConfig(), lot, options));
  return program;
}

/** The database the command used, for a message; undefined when the configuration does not load. */
function configuredDatabaseUrl(): string | undefined {
  try {
    return loadConfig().databaseUrl;
  } catch {
    return undefined;
  }
}

/** Errors the person running the command caused: one line, no stack trace. */
function isUserError(error: unknown): error is Error {
  return error instanceof ConfigError || error instanceof TemporalCliMissingError || error instanceof UserError;
}

export async function main(argv: string[]): Promise<void> {
  const program = buildProgram();
  if (argv.length === 0) {
    program.outputHelp();
    return;
  }
  try {
    await program.parseAsync(argv, { from: 'user' });
  } catch (error) {
    // commander has printed its message (or the help) already; help asked for is success.
    if (error instanceof CommanderError) process.exit(error.exitCode === 0 ? 0 : 2);
    if (isUserError(error)) {
      process.stderr.write(`${error.message}\n`);
      process.exit(2);
    }
    const unreachable = databaseUnreachableMessage(error, configuredDatabaseUrl());
    if (unreachable) {
      process.stderr.write(`${unreachable}\n`);
      process.exit(2);
    }
    console.error(error);
    process.exit(1);
  }
}
