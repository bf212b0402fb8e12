import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

// The CLI as a person meets it: help on every command, exit 2 and a one-line message for a usage
// error or a missing input, never a stack trace for a mistake the person made.
const ROOT = path.join(__dirname, '..');
const STACK_FRAME = /^\s+at .+[:(]/m;
let cwd: string;

beforeAll(() => {
  // No DATA_DIR and an empty working directory: no organisation CA anywhere.
  cwd = fs.mkdtempSync(path.join(os.tmpdir(), 'attestflow-cli-'));
});
afterAll(() => fs.rmSync(cwd, { recursive: true, force: true }));

function run(...args: string[]): { code: number | null; stdout: string; stderr: string } {
  const env = { ...process.env };
  delete env.DATA_DIR;
  delete env.SIGNING_CA_CERT_FILE;
  delete env.SIGNING_CA_KEY_FILE;
  const result = spawnSync(process.execPath, [path.join(ROOT, 'bin', 'attestflow.js'), ...args], { cwd, env, encoding: 'utf8' });
  // A process that did not run to an exit code says why (signal or spawn error) in the failure.
  if (result.status === null)
    throw new Error(`attestflow ${args.join(' ')}: no exit code (signal ${result.signal}, ${result.error?.message ?? 'no spawn error'})`);
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

test('verify --help prints the command’s usage and exits 0', () => {
  const result = run('verify', '--help');
  expect(result.code).toBe(0);
  expect(result.stdout).toContain('Usage: attestflow verify [options] <target>');
  expect(result.stdout).toContain('--ca <ca.pem>');
  expect(result.stderr).toBe('');
});

test('every command has its own --help', () => {
  for (const command of [['start'], ['api'], ['worker'], ['migrate'], ['seed-demo'], ['bundle-workflows'], ['render-worker'], ['audit', 'verify']]) {
    const result = run(...command, '--help');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`Usage: attestflow ${command.join(' ')}`);
  }
  expect(run('audit', 'verify', '--help').stdout).toContain('--checkpoint <file>');
  expect(run('help', 'verify').stdout).toContain('Usage: attestflow verify');
});

test('no command prints the list of commands and exits 0', () => {
  const result = run();
  expect(result.code).toBe(0);
  for (const command of ['start', 'api', 'worker', 'migrate', 'seed-demo', 'bundle-workflows', 'render-worker', 'audit', 'verify'])
    expect(result.stdout).toContain(`  ${command}`);
});

test.each([
  [['verify', '--bogus', 'x'], /unknown option '--bogus'/],
  [['verify'], /missing required argument 'target'/],
  [['audit', 'verify', '--checkpoint'], /option '--checkpoint <file>' argument missing/],
  [['audit', 'verify', '--threads', '0'], /option '--threads <n>' argument '0' is invalid\. expected a whole number from 1 to 9999\./],
  [['audit'], /Usage: attestflow audit/],
  [['no-such-command'], /unknown command 'no-such-command'/],
  [['migrate', 'extra'], /too many arguments for 'migrate'/],
  [['bundle-workflows'], /missing required argument 'file'/],
])('usage error %j exits 2 with a message and no stack trace', (args, message) => {
  const result = run(...args);
  expect(result.code).toBe(2);
  expect(`${result.stdout}${result.stderr}`).toMatch(message);
  expect(result.stderr).not.toMatch(STACK_FRAME);
});

test('verify <id> without DATA_DIR or --ca says where the CA was looked for, in one line, without a stack trace', () => {
  const result = run('verify', '00000000-0000-4000-8000-000000000000');
  expect(result.code).toBe(2);
  expect(result.stderr.trim().split('\n')).toEqual([expect.stringMatching(/^No organisation CA certificate at .*pki\/ca\.pem; pass --ca <ca\.pem>/)]);
  expect(result.stderr).not.toMatch(STACK_FRAME);
});

test.each([
  [['verify', 'missing.pdf'], /^Cannot read the PDF missing\.pdf: no such file\.$/],
  [['verify', 'missing.json'], /^"missing\.json" is neither a signature id \(a UUID\) nor an existing file\.$/],
  [['verify', 'x.pdf', '--ca', 'missing-ca.pem'], /^Cannot read the PDF x\.pdf: no such file\.$/],
  [['audit', 'verify', '--ca', 'missing-ca.pem'], /^Cannot read the CA certificate missing-ca\.pem: no such file\.$/],
])('a missing input %j is one line and no stack trace', (args, message) => {
  const result = run(...args);
  expect({ code: result.code, lines: result.stderr.trim().split('\n') }).toEqual({ code: 2, lines: [expect.stringMatching(message)] });
});

test('a file that is not an exported signature is named, without a stack trace', () => {
  fs.writeFileSync(path.join(cwd, 'not-json.txt'), 'hello');
  fs.writeFileSync(path.join(cwd, 'ca.pem'), 'not a certificate');
  const result = run('verify', 'not-json.txt', '--ca', 'ca.pem');
  expect(result.code).toBe(2);
  expect(result.stderr.trim()).toBe('not-json.txt is neither a signature id nor an exported signature JSON file (not JSON).');
});

test('a bad configuration variable is one line, exit 2', () => {
  const result = spawnSync(process.execPath, [path.join(ROOT, 'bin', 'attestflow.js'), 'migrate'], {
    cwd,
    env: { ...process.env, DATABASE_URL: 'mysql://x' },
    encoding: 'utf8',
  });
  expect({ status: result.status, signal: result.signal, error: result.error?.message }).toEqual({ status: 2, signal: null, error: undefined });
  expect(result.stderr.trim()).toBe('Configuration error: DATABASE_URL must start with postgres:// or postgresql:// (got "mysql://x")');
});

test.each([
  [
    'nothing listening',
    'postgres://postgres:secret@127.0.0.1:1/attestflow',
    /^Cannot reach the database at postgres:\/\/postgres:\*\*\*@127\.0\.0\.1:1\/attestflow: it does not answer \(ECONNREFUSED\)\./,
  ],
  [
    'no such database',
    'postgres://postgres@127.0.0.1:5432/attestflow_cli_no_such_db',
    /: the database does not exist \(run `attestflow migrate` to create it\)\./,
  ],
])('verify <id> with the database unreachable (%s) is one line, exit 2, and hides the password', (_case, databaseUrl, message) => {
  fs.writeFileSync(path.join(cwd, 'ca.pem'), 'not a certificate');
  const result = spawnSync(process.execPath, [path.join(ROOT, 'bin', 'attestflow.js'), 'verify', '00000000-0000-4000-8000-000000000000', '--ca', 'ca.pem'], {
    cwd,
    env: { ...process.env, DATABASE_URL: databaseUrl },
    encoding: 'utf8',
  });
  expect({ status: result.status, lines: result.stderr.trim().split('\n') }).toEqual({ status: 2, lines: [expect.stringMatching(message)] });
  expect(result.stderr).not.toContain('secret');
});
