/**
 * Node flags of the PDF generator process (`attestflow render-worker`), as `attestflow start` spawns
 * it and as the PDF bench runs its dossier cases. V8 grows a heap lazily, by a factor of up to 4 of
 * what survived the last full collection when the heap may grow to gigabytes, so a long dossier's
 * garbage (each record's section, made and dropped) made the process's peak RSS grow with the record
 * count although what it keeps grows little. A 512 MiB old generation scales that factor down to
 * about 1.4: collections come sooner and the heap stays near what is live (about 100 MiB for 2,000
 * records). Run a generator on its own as `node --max-old-space-size=512 bin/attestflow.js
 * render-worker` (or with NODE_OPTIONS).
 */
export const RENDER_WORKER_NODE_FLAGS: readonly string[] = ['--max-old-space-size=512'];
