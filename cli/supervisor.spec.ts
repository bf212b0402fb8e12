import { supervise, type SupervisedChild } from './supervisor';

/** Resolves with the log line once one matches. */
function logWatcher() {
  const lines: string[] = [];
  const waiters: { pattern: RegExp; resolve: (line: string) => void }[] = [];
  return {
    lines,
    log(line: string) {
      lines.push(line);
      for (const w of waiters.splice(0)) {
        if (w.pattern.test(line)) w.resolve(line);
        else waiters.push(w);
      }
    },
    next(pattern: RegExp): Promise<string> {
      return new Promise((resolve) => waiters.push({ pattern, resolve }));
    },
  };
}

let child: SupervisedChild | undefined;
afterEach(() => child?.stop());

const sleeper = ['-e', 'setInterval(() => undefined, 1000)'];

test('a child killed with SIGKILL is restarted after the delay, and the restart is logged with both process ids', async () => {
  const watch = logWatcher();
  const started = watch.next(/started \(pid \d+\)/);
  child = supervise({ name: 'The sleeper', command: process.execPath, args: sleeper, log: watch.log, initialDelayMs: 10 });
  await started;
  const first = child.pid!;
  const stopped = watch.next(/stopped/);
  const restarted = watch.next(/started \(pid \d+\)/);
  process.kill(first, 'SIGKILL');
  expect(await stopped).toBe(`The sleeper (pid ${first}) stopped (SIGKILL); restarting in 10 ms`);
  await restarted;
  expect(child.pid).toBeDefined();
  expect(child.pid).not.toBe(first);
  expect(child.restarts).toBe(1);
});

test('quick failures back off exponentially up to the maximum', async () => {
  const watch = logWatcher();
  const stops = () => watch.lines.filter((l) => l.includes('stopped'));
  const enough = new Promise<void>((resolve) => {
    const log = watch.log;
    watch.log = (line: string) => {
      log(line);
      if (stops().length === 4) resolve();
    };
  });
  child = supervise({
    name: 'The crasher',
    command: process.execPath,
    args: ['-e', 'process.exit(3)'],
    log: (line) => watch.log(line),
    initialDelayMs: 10,
    maxDelayMs: 40,
  });
  await enough;
  await child.stop();
  expect(
    stops()
      .slice(0, 4)
      .map((l) => /\(pid \d+\) stopped \((.*)\); restarting in (.*)$/.exec(l)!.slice(1)),
  ).toEqual([
    ['exit code 3', '10 ms'],
    ['exit code 3', '20 ms'],
    ['exit code 3', '40 ms'],
    ['exit code 3', '40 ms'],
  ]);
});

test('stop ends the child and no restart follows', async () => {
  const watch = logWatcher();
  const started = watch.next(/started/);
  child = supervise({ name: 'The sleeper', command: process.execPath, args: sleeper, log: watch.log, initialDelayMs: 10 });
  await started;
  const pid = child.pid!;
  await child.stop();
  expect(() => process.kill(pid, 0)).toThrow();
  expect(child.pid).toBeUndefined();
  expect(watch.lines.some((l) => l.includes('stopped'))).toBe(false);
});
