import { createHash, randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, readdir, rm, stat } from 'node:fs/promises';
import type { IncomingMessage } from 'node:http';
import path from 'node:path';
import { Transform, type TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { AppError } from './app-error';

/** A request body received into a temporary file, with the SHA-256 and size of its bytes. */
export interface ReceivedUpload {
  file: string;
  sha256: string;
  size: number;
  /** Removes the temporary file (always call it, whatever happened next). */
  discard(): Promise<void>;
}

const tooLarge = (limit: number) =>
  new AppError('payload_too_large', `The file is larger than the upload limit of ${limit} bytes (UPLOAD_LIMIT); nothing was stored.`, { limit });

/** Passes the bytes on, hashing and counting them; fails once they exceed the limit. */
class HashingLimit extends Transform {
  private readonly hash = createHash('sha256');
  size = 0;

  constructor(private readonly limit: number) {
    super();
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.size += chunk.length;
    if (this.size > this.limit) return callback(tooLarge(this.limit));
    this.hash.update(chunk);
    callback(null, chunk);
  }

  digest(): string {
    return this.hash.digest('hex');
  }
}

/**
 * Streams a request body into a new file under `directory`, computing its SHA-256 on the way, so
 * that the body is never held in memory. A body over `limit` bytes is refused with 413
 * `payload_too_large` (at once when Content-Length says so, else as soon as the limit is passed; the
 * rest is read and discarded so that the client gets the answer) and leaves no file behind.
 */
export async function receiveUpload(request: IncomingMessage, options: { directory: string; limit: number }): Promise<ReceivedUpload> {
  const declared = Number(request.headers['content-length']);
  if (Number.isFinite(declared) && declared > options.limit) throw tooLarge(options.limit);
  await mkdir(options.directory, { recursive: true });
  const file = path.join(options.directory, `${randomUUID()}.part`);
  const meter = new HashingLimit(options.limit);
  const onClose = () => {
    if (!request.readableEnded) meter.destroy(new Error('The client ended the upload before its end.'));
  };
  request.on('close', onClose);
  request.on('error', (error) => meter.destroy(error));
  request.pipe(meter);
  try {
    await pipeline(meter, createWriteStream(file, { flags: 'wx' }));
  } catch (error) {
    request.unpipe(meter);
    request.resume(); // drain what the client still sends, so that it reads the refusal
    await rm(file, { force: true });
    throw error;
  } finally {
    request.off('close', onClose);
  }
  return { file, sha256: meter.digest(), size: meter.size, discard: () => rm(file, { force: true }) };
}

/** A temporary upload file untouched for this long belongs to no upload in progress (one writes it continuously). */
export const ABANDONED_UPLOAD_AGE_MS = 60 * 60 * 1000;

/**
 * Removes the temporary files of uploads that ended without their cleanup (the process was killed
 * mid-upload): `.part` files under `directory` not written for `olderThanMs`. Files of uploads in
 * progress (in this or another API process sharing DATA_DIR) are younger and stay. Returns the
 * names removed.
 */
export async function sweepAbandonedUploads(directory: string, olderThanMs = ABANDONED_UPLOAD_AGE_MS, now = Date.now()): Promise<string[]> {
  let names: string[];
  try {
    names = await readdir(directory);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  const removed: string[] = [];
  for (const name of names.filter((n) => n.endsWith('.part'))) {
    const file = path.join(directory, name);
    const info = await stat(file).catch(() => null);
    if (!info?.isFile() || now - info.mtimeMs < olderThanMs) continue;
    await rm(file, { force: true });
    removed.push(name);
  }
  return removed;
}
