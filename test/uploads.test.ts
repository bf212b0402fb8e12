// Issue 11, item 3: document uploads are streamed to PostgreSQL (hashed on the way, never held whole in
// memory), refused with 413 over UPLOAD_LIMIT leaving nothing behind; the PDF to verify, parsed in
// memory, has its own PDF_VERIFICATION_LIMIT.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { sql } from 'drizzle-orm';
import { insertDocumentFile, readDocumentFileBytes } from '../db/repositories';
import type { HttpSession } from './support/http-session';
import { startTestSystem, type TestSystem } from './support/test-system';

const MiB = 1024 * 1024;
let system: TestSystem;
let doccontrol: HttpSession;
beforeAll(async () => {
  system = await startTestSystem('uploads', { runWorker: false, env: { UPLOAD_LIMIT: '3mb', PDF_VERIFICATION_LIMIT: '1mb' } });
  doccontrol = await system.people.session('doccontrol');
});
afterAll(() => system?.close());

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

async function count(table: string): Promise<number> {
  return ((await system.database.db.execute(sql`SELECT count(*)::int AS n FROM ${sql.identifier(table)}`)).rows[0] as { n: number }).n;
}

async function rowsNow() {
  return { files: await count('document_files'), chunks: await count('document_file_chunks'), audit: await count('audit_events') };
}

function leftovers(): string[] {
  const dir = path.join(system.dataDir, 'uploads');
  return fs.existsSync(dir) ? fs.readdirSync(dir) : [];
}

async function upload(body: Buffer | Readable, fileName: string, contentType = 'application/pdf') {
  const response = await fetch(`${system.baseUrl}/api/documents/files?fileName=${encodeURIComponent(fileName)}`, {
    method: 'POST',
    headers: { cookie: doccontrol.cookie ?? '', 'content-type': contentType },
    body: body instanceof Readable ? (Readable.toWeb(body) as ReadableStream) : body,
    ...(body instanceof Readable ? { duplex: 'half' } : {}),
  } as RequestInit);
  return { status: response.status, body: (await response.json()) as any };
}

/** `total` bytes of a repeating pattern, in pieces: a body with no Content-Length (chunked). */
function chunkedBody(total: number): Readable {
  const piece = Buffer.alloc(64 * 1024, 7);
  let sent = 0;
  return new Readable({
    read() {
      if (sent >= total) return this.push(null);
      const next = piece.subarray(0, Math.min(piece.length, total - sent));
      sent += next.length;
      this.push(next);
    },
  });
}

describe('document uploads', () => {
  test('a file within the limit is stored under the SHA-256 of its bytes, in chunks, and reads back byte for byte', async () => {
    const bytes = Buffer.alloc(Math.floor(2.5 * MiB));
    for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 31 + (i >> 11)) & 0xff;
    const before = await rowsNow();
    const uploaded = await upload(bytes, 'large.pdf');
    expect(uploaded).toEqual({ status: 201, body: { sha256: sha256(bytes), size: bytes.length, fileName: 'large.pdf', mediaType: 'application/pdf' } });
    expect(await rowsNow()).toEqual({ files: before.files + 1, chunks: before.chunks + 3, audit: before.audit + 1 });
    const stored = await system.database.db.execute(sql`SELECT sha256, size, bytes IS NULL AS chunked FROM document_files WHERE sha256 = ${sha256(bytes)}`);
    expect(stored.rows).toEqual([{ sha256: sha256(bytes), size: String(bytes.length), chunked: true }]);
    const read: Buffer[] = [];
    for await (const chunk of readDocumentFileBytes(system.database.db, sha256(bytes))) read.push(chunk);
    expect(sha256(Buffer.concat(read))).toBe(sha256(bytes));
    expect(leftovers()).toEqual([]);
  });

  test('a body without Content-Length is hashed the same way', async () => {
    const uploaded = await upload(chunkedBody(MiB + 5), 'chunked.bin', 'application/octet-stream');
    expect(uploaded.status).toBe(201);
    expect(uploaded.body.sha256).toBe(sha256(Buffer.alloc(MiB + 5, 7)));
    expect(leftovers()).toEqual([]);
  });

  test('a file over UPLOAD_LIMIT is refused with 413 payload_too_large: no row, no chunk, no audit event, no file left', async () => {
    const before = await rowsNow();
    const declared = await upload(Buffer.alloc(3 * MiB + 1, 1), 'too-large.pdf');
    expect([declared.status, declared.body.code]).toEqual([413, 'payload_too_large']);
    const streamed = await upload(chunkedBody(4 * MiB), 'too-large.bin', 'application/octet-stream');
    expect([streamed.status, streamed.body.code]).toEqual([413, 'payload_too_large']);
    expect(await rowsNow()).toEqual(before);
    expect(leftovers()).toEqual([]);
  });

  test('an empty body is refused with 400 empty_file and leaves no file behind', async () => {
    const empty = await upload(Buffer.alloc(0), 'empty.pdf');
    expect([empty.status, empty.body.code]).toEqual([400, 'empty_file']);
    expect(leftovers()).toEqual([]);
  });

  test('chunks are append-only like the file rows', async () => {
    expect((await upload(Buffer.from('%PDF-1.7\n% one chunk\n%%EOF\n'), 'one-chunk.pdf')).status).toBe(201);
    for (const statement of ['UPDATE document_file_chunks SET bytes = bytes', 'DELETE FROM document_file_chunks', 'TRUNCATE document_file_chunks']) {
      const error = await system.database.db.execute(sql.raw(statement)).then(
        () => undefined,
        (failure: Error & { cause?: Error }) => failure.cause ?? failure,
      );
      expect({ statement, message: error?.message }).toEqual({ statement, message: expect.stringMatching(/append-only/) });
    }
  });

  test('a file stored before chunks existed (bytes inline) is still read', async () => {
    const bytes = Buffer.from('%PDF-1.4\n% stored inline\n%%EOF\n');
    const [uploader] = (await system.database.db.execute(sql`SELECT id FROM users WHERE username = 'doccontrol'`)).rows as { id: string }[];
    await system.database.db.transaction((tx) =>
      insertDocumentFile(tx, {
        sha256: sha256(bytes),
        bytes,
        size: bytes.length,
        fileName: 'old.pdf',
        mediaType: 'application/pdf',
        uploadedBy: uploader!.id,
        uploadedAt: new Date(),
      }),
    );
    const read: Buffer[] = [];
    for await (const chunk of readDocumentFileBytes(system.database.db, sha256(bytes))) read.push(chunk);
    expect(Buffer.concat(read).equals(bytes)).toBe(true);
  });
});

describe('PDF verification upload', () => {
  test('a PDF over PDF_VERIFICATION_LIMIT is refused with 413 payload_too_large', async () => {
    const response = await fetch(`${system.baseUrl}/api/verify/pdf`, {
      method: 'POST',
      headers: { cookie: doccontrol.cookie ?? '', 'content-type': 'application/pdf' },
      body: Buffer.concat([Buffer.from('%PDF-1.7\n'), Buffer.alloc(MiB + 1)]),
    });
    const body = (await response.json()) as { code: string };
    expect([response.status, body.code]).toEqual([413, 'payload_too_large']);
  });

  test('a PDF within it is read (and found not sealed)', async () => {
    const response = await fetch(`${system.baseUrl}/api/verify/pdf`, {
      method: 'POST',
      headers: { cookie: doccontrol.cookie ?? '', 'content-type': 'application/pdf' },
      body: Buffer.from('%PDF-1.7\n% not a sealed record\n%%EOF\n'),
    });
    expect(response.status).toBeLessThan(500);
    expect(response.status).not.toBe(413);
  });
});
