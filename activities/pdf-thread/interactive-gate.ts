// Requests first, PDFs in between. The API counts the requests it is answering in a shared counter;
// the PDF threads of the same process read it between table rows and pages and pause while it is
// above zero. On two cores (often two hyperthreads of one core) a lower thread priority alone still
// left a PDF slowing every signature; pausing gives the request the whole machine for its moment.
// A render pauses at most `maxPauseMs` in all, so no stream of requests can starve a closure PDF.

/** [0]: requests in flight in this process. [1]: 1 while a PDF thread is paused for them (tests watch it). */
const gate = new Int32Array(new SharedArrayBuffer(2 * Int32Array.BYTES_PER_ELEMENT));

/** The counter to hand to PDF threads (through workerData): shared memory, not a copy. */
export const interactiveGateBuffer: SharedArrayBuffer = gate.buffer as SharedArrayBuffer;

export function interactiveWorkStarted(): void {
  Atomics.add(gate, 0, 1);
}

export function interactiveWorkEnded(): void {
  Atomics.sub(gate, 0, 1);
  Atomics.notify(gate, 0);
}

/** Whether a PDF thread is paused for requests now (for tests that drive the order). */
export function pdfThreadPaused(): boolean {
  return Atomics.load(gate, 1) === 1;
}

export interface RenderPauses {
  /** Pauses while requests are in flight, unless this render has paused `maxPauseMs` already. */
  pause(): void;
  /** Starts the count of a new render; returns the milliseconds the previous one paused. */
  reset(): number;
}

/** Pauses over a gate from another thread; waits in slices so that the cap holds. */
export function renderPauses(buffer: SharedArrayBuffer, options: { maxPauseMs: number; sliceMs?: number }): RenderPauses {
  const shared = new Int32Array(buffer);
  const slice = options.sliceMs ?? 50;
  let paused = 0;
  return {
    pause() {
      let inFlight = Atomics.load(shared, 0);
      if (inFlight <= 0 || paused >= options.maxPauseMs) return;
      Atomics.store(shared, 1, 1);
      try {
        while (inFlight > 0 && paused < options.maxPauseMs) {
          const started = performance.now();
          Atomics.wait(shared, 0, inFlight, Math.min(slice, options.maxPauseMs - paused));
          paused += performance.now() - started;
          inFlight = Atomics.load(shared, 0);
        }
      } finally {
        Atomics.store(shared, 1, 0);
      }
    },
    reset() {
      const previous = paused;
      paused = 0;
      return previous;
    },
  };
}
