/**
 * How long a test waits for a step the system takes by itself (a timer firing, a child process
 * telling its parent, a workflow task after an activity): long enough never to be the reason a test
 * fails on a loaded machine. A test that needs order drives it explicitly instead of waiting less.
 */
export const PATIENCE_MS = 10 * 60_000;
