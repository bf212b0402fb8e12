// Long renders give way to interactive work. A thread that renders PDFs beside the API installs a
// hook (activities/pdf-thread/interactive-gate.ts) that pauses between table rows and pages while
// requests are in flight; rendering is synchronous, so these are the only points where it can.
// Without a hook (a render on the caller's own thread), nothing ever pauses.

let hook: (() => void) | null = null;

/** Installs (or, with null, removes) the pause hook of this thread. */
export function setRenderYield(next: (() => void) | null): void {
  hook = next;
}

/** A point where a render may pause: between rows and pages. */
export function renderYield(): void {
  hook?.();
}
