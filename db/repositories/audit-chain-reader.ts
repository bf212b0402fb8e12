// Reads a seq range of the audit chain with `COPY … TO STDOUT (FORMAT binary)` and rebuilds each
// event's canonical JSON (the bytes its hash covers) straight from the row's bytes. Verification of
// a long trail spent most of its time turning rows into JavaScript objects (the row protocol makes
// a string of every column) and objects back into JSON; here a text column whose bytes need no JSON
// escaping is copied as it is, and only the jsonb columns are parsed (canonicalJsonOfParsed). The
// result is byte for byte auditEventCanonicalJson(auditEventContent(row)): see
// test/audit-chain-reader.test.ts, which compares both on awkward values.
import type { ClientBase, Connection, Submittable } from 'pg';
import { canonicalJsonOfParsed, type JsonValue } from '../../signatures/canonical-json';
import { ChainRangeWalker, type ChainRange, type ChainRangeResult } from '../../signatures/audit-chain';

/** The columns in the order the canonical JSON needs them (keys sorted), then the stored hash. */
const COLUMNS = [
  'seq',
  'occurred_at',
  'action',
  'actor_id::text',
  'actor_name',
  'client_ip',
  'entity_id',
  'entity_type',
  'new_value',
  'old_value',
  'prev_hash',
  'reason',
  'record_id::text',
  'user_agent',
  'hash',
] as const;
const column = (name: (typeof COLUMNS)[number]): number => COLUMNS.indexOf(name);
const SEQ = column('seq');
const OCCURRED_AT = column('occurred_at');
const ACTION = column('action');
const ACTOR_ID = column('actor_id::text');
const ACTOR_NAME = column('actor_name');
const CLIENT_IP = column('client_ip');
const ENTITY_ID = column('entity_id');
const ENTITY_TYPE = column('entity_type');
const NEW_VALUE = column('new_value');
const OLD_VALUE = column('old_value');
const PREV_HASH = column('prev_hash');
const REASON = column('reason');
const RECORD_ID = column('record_id::text');
const USER_AGENT = column('user_agent');
const HASH = column('hash');

/** The COPY statement for one range (bounds are integers, checked, so they can be written inline). */
export function auditChainCopyStatement(range: ChainRange): string {
  const bounds: string[] = [];
  for (const [bound, op] of [
    [range.after, '>'],
    [range.upTo, '<='],
  ] as const) {
    if (bound === null) continue;
    if (!Number.isSafeInteger(bound)) throw new RangeError(`not a seq: ${bound}`);
    bounds.push(`seq ${op} ${bound}`);
  }
  const where = bounds.length ? ` WHERE ${bounds.join(' AND ')}` : '';
  return `COPY (SELECT ${COLUMNS.join(', ')} FROM audit_events${where} ORDER BY seq) TO STDOUT (FORMAT binary)`;
}

/** What precedes each value in the canonical JSON of AuditEventContent (its keys in canonical order). */
const key = (text: string): Buffer => Buffer.from(text, 'latin1');
const K_ACTION = key('{"action":');
const K_ACTOR_ID = key(',"actorId":');
const K_ACTOR_NAME = key(',"actorName":');
const K_CLIENT_IP = key(',"clientIp":');
const K_ENTITY_ID = key(',"entityId":');
const K_ENTITY_TYPE = key(',"entityType":');
const K_NEW_VALUE = key(',"newValue":');
const K_OCCURRED_AT = key(',"occurredAt":');
const K_OLD_VALUE = key(',"oldValue":');
const K_PREV_HASH = key(',"prevHash":');
const K_REASON = key(',"reason":');
const K_RECORD_ID = key(',"recordId":');
const K_SEQ = key(',"seq":');
const K_USER_AGENT = key(',"userAgent":');
const NULL = Buffer.from('null', 'latin1');

const COPY_SIGNATURE = Buffer.from('PGCOPY\n\xff\r\n\0', 'latin1');
/** PostgreSQL's timestamp epoch (2000-01-01 UTC) in Unix milliseconds. */
const POSTGRES_EPOCH_MS = 946_684_800_000;
/** jsonb's binary form: a version byte, then the text form. */
const JSONB_VERSION = 1;

export type CanonicalEventHandler = (seq: number, prevHash: string, hash: string, canonical: Uint8Array) => boolean;

/**
 * Turns binary COPY rows of the columns above into canonical JSON bytes. One per reader; its
 * buffer is reused for every row (the bytes passed to the handler are valid only during the call).
 */
class CanonicalEventAssembler {
  private out = Buffer.allocUnsafe(64 * 1024);
  private at = 0;
  private readonly starts = new Int32Array(COLUMNS.length);
  private readonly lengths = new Int32Array(COLUMNS.length);
  private headerSeen = false;
  private secondStart = Number.NaN;
  private secondPrefix = '';
  /** jsonb text → its canonical JSON (a memo of a pure function): values such as {"status": "draft"} recur. */
  private readonly jsonCache = new Map<string, string>();

  /**
   * @param textIsUtf8 whether text columns arrive as valid UTF-8 (any server encoding but
   *   SQL_ASCII): their bytes are then exactly what JavaScript's UTF-8 encoder gives for the string
   *   the driver would decode, and can be copied without decoding.
   */
  constructor(
    private readonly textIsUtf8: boolean,
    private readonly onEvent: CanonicalEventHandler,
  ) {}

  /** One CopyData message: the header (first message only), a row, or the trailer. */
  message(chunk: Buffer): boolean {
    let p = 0;
    if (!this.headerSeen) {
      if (chunk.length < 19 || !chunk.subarray(0, 11).equals(COPY_SIGNATURE)) throw new Error('audit chain: not a binary COPY stream');
      p = 19 + chunk.readUInt32BE(15);
      this.headerSeen = true;
    }
    let more = true;
    while (p < chunk.length) {
      const fields = chunk.readInt16BE(p);
      p += 2;
      if (fields === -1) break;
      if (fields !== COLUMNS.length) throw new Error(`audit chain: a COPY row of ${fields} columns, expected ${COLUMNS.length}`);
      const { starts, lengths } = this;
      for (let i = 0; i < fields; i++) {
        const length = chunk.readInt32BE(p);
        p += 4;
        starts[i] = p;
        lengths[i] = length;
        if (length > 0) p += length;
      }
      more = this.row(chunk);
    }
    return more;
  }

  private row(b: Buffer): boolean {
    const { starts, lengths } = this;
    const seq = this.int64(b, SEQ);
    const occurredAt = this.isoTime(Math.floor(this.int64(b, OCCURRED_AT) / 1000) + POSTGRES_EPOCH_MS);
    this.at = 0;
    this.literal(K_ACTION);
    this.text(b, ACTION);
    this.literal(K_ACTOR_ID);
    this.text(b, ACTOR_ID);
    this.literal(K_ACTOR_NAME);
    this.text(b, ACTOR_NAME);
    this.literal(K_CLIENT_IP);
    this.text(b, CLIENT_IP);
    this.literal(K_ENTITY_ID);
    this.text(b, ENTITY_ID);
    this.literal(K_ENTITY_TYPE);
    this.text(b, ENTITY_TYPE);
    this.literal(K_NEW_VALUE);
    this.json(b, NEW_VALUE);
    this.literal(K_OCCURRED_AT);
    this.ascii(`"${occurredAt}"`);
    this.literal(K_OLD_VALUE);
    this.json(b, OLD_VALUE);
    this.literal(K_PREV_HASH);
    this.text(b, PREV_HASH);
    this.literal(K_REASON);
    this.text(b, REASON);
    this.literal(K_RECORD_ID);
    this.text(b, RECORD_ID);
    this.literal(K_SEQ);
    this.ascii(String(seq));
    this.literal(K_USER_AGENT);
    this.text(b, USER_AGENT);
    this.reserve(1);
    this.out[this.at++] = 0x7d; // }
    const prevHash = lengths[PREV_HASH]! < 0 ? '' : b.toString('latin1', starts[PREV_HASH]!, starts[PREV_HASH]! + lengths[PREV_HASH]!);
    const hash = lengths[HASH]! < 0 ? '' : b.toString('latin1', starts[HASH]!, starts[HASH]! + lengths[HASH]!);
    return this.onEvent(seq, prevHash, hash, this.out.subarray(0, this.at));
  }

  /** A binary int8 / timestamptz column as a number (exact up to 2^53). */
  private int64(b: Buffer, column: number): number {
    if (this.lengths[column] !== 8) throw new Error(`audit chain: column ${COLUMNS[column]} is not 8 bytes`);
    const at = this.starts[column]!;
    return b.readInt32BE(at) * 4_294_967_296 + b.readUInt32BE(at + 4);
  }

  /** Date#toISOString of the millisecond, computed once per second (events come in time order). */
  private isoTime(ms: number): string {
    const second = Math.floor(ms / 1000);
    if (second !== this.secondStart) {
      this.secondPrefix = new Date(second * 1000).toISOString().slice(0, -4); // "YYYY-MM-DDTHH:MM:SS."
      this.secondStart = second;
    }
    const milli = ms - second * 1000;
    return `${this.secondPrefix}${milli < 10 ? '00' : milli < 100 ? '0' : ''}${milli}Z`;
  }

  private reserve(bytes: number): void {
    if (this.at + bytes <= this.out.length) return;
    const bigger = Buffer.allocUnsafe(Math.max(this.out.length * 2, this.at + bytes));
    this.out.copy(bigger, 0, 0, this.at);
    this.out = bigger;
  }

  private literal(bytes: Buffer): void {
    this.reserve(bytes.length);
    const { out } = this;
    let at = this.at;
    for (let i = 0; i < bytes.length; i++) out[at++] = bytes[i]!;
    this.at = at;
  }

  private ascii(text: string): void {
    this.reserve(text.length);
    this.at += this.out.write(text, this.at, 'latin1');
  }

  private utf8(text: string): void {
    this.reserve(Buffer.byteLength(text, 'utf8'));
    this.at += this.out.write(text, this.at, 'utf8');
  }

  /** A text column as JSON.stringify renders the string the driver would have decoded (null: null). */
  private text(b: Buffer, column: number): void {
    const length = this.lengths[column]!;
    if (length < 0) return this.literal(NULL);
    const start = this.starts[column]!;
    const end = start + length;
    if (this.textIsUtf8) {
      this.reserve(length + 2);
      const { out } = this;
      let at = this.at;
      out[at++] = 0x22; // "
      let plain = true;
      for (let i = start; i < end; i++) {
        const c = b[i]!;
        // JSON.stringify escapes exactly these in a well-formed string: ", \ and U+0000..U+001F.
        if (c < 0x20 || c === 0x22 || c === 0x5c) {
          plain = false;
          break;
        }
        out[at++] = c;
      }
      if (plain) {
        out[at++] = 0x22;
        this.at = at;
        return;
      }
    }
    this.utf8(JSON.stringify(b.toString('utf8', start, end)));
  }

  /** A jsonb column in canonical form (null: null), as the driver's JSON.parse then canonicalisation give. */
  private json(b: Buffer, column: number): void {
    const length = this.lengths[column]!;
    if (length < 0) return this.literal(NULL);
    const start = this.starts[column]!;
    if (b[start] !== JSONB_VERSION) throw new Error(`audit chain: jsonb version ${b[start]} in ${COLUMNS[column]}`);
    const source = b.toString('utf8', start + 1, start + length);
    let canonical = this.jsonCache.get(source);
    if (canonical === undefined) {
      canonical = canonicalJsonOfParsed(JSON.parse(source) as JsonValue);
      if (this.jsonCache.size >= 1024) this.jsonCache.clear();
      this.jsonCache.set(source, canonical);
    }
    this.utf8(canonical);
  }
}

/**
 * `COPY … TO STDOUT` through node-postgres's Submittable interface (as pg-cursor and
 * pg-query-stream use it): each CopyData message is handed to the assembler as it arrives, so no
 * range is ever held in memory.
 */
class CopyOutQuery implements Submittable {
  readonly done: Promise<void>;
  private resolve!: () => void;
  private reject!: (error: unknown) => void;
  private failure: unknown = undefined;
  private wanted = true;

  constructor(
    private readonly text: string,
    private readonly assembler: CanonicalEventAssembler,
  ) {
    this.done = new Promise<void>((resolve, reject) => {
      this.resolve = resolve;
      this.reject = reject;
    });
  }

  submit(connection: Connection): void {
    connection.query(this.text);
  }

  /** The chunk is a view into the driver's receive buffer: used here and now, never kept. */
  handleCopyData(message: { chunk: Buffer }): void {
    if (!this.wanted) return;
    try {
      this.wanted = this.assembler.message(message.chunk);
    } catch (error) {
      // Thrown here it would escape into the socket's data handler; reported when the COPY ends.
      this.failure = error;
      this.wanted = false;
    }
  }

  handleCommandComplete(): void {}

  handleReadyForQuery(): void {
    if (this.failure === undefined) this.resolve();
    else this.reject(this.failure);
  }

  handleError(error: unknown): void {
    this.reject(error);
  }
}

/**
 * Streams the canonical JSON bytes of every event of the range, in seq order, to `onEvent`, with
 * the stored seq, prev-hash and hash. Once `onEvent` returns false the remaining rows are read but
 * no longer assembled.
 */
export async function copyCanonicalAuditEvents(client: ClientBase, range: ChainRange, onEvent: CanonicalEventHandler): Promise<void> {
  const { rows } = await client.query<{ server: string; client: string }>(
    "SELECT current_setting('server_encoding') AS server, current_setting('client_encoding') AS client",
  );
  if (rows[0]?.client !== 'UTF8') throw new Error(`audit chain: client_encoding is ${rows[0]?.client}, expected UTF8`);
  const query = new CopyOutQuery(auditChainCopyStatement(range), new CanonicalEventAssembler(rows[0].server !== 'SQL_ASCII', onEvent));
  client.query(query);
  await query.done;
}

/** Walks one range of the chain (see ChainRangeWalker): every link inside it, every event's hash. */
export async function walkAuditChainRange(client: ClientBase, range: ChainRange): Promise<ChainRangeResult> {
  const walker = new ChainRangeWalker();
  await copyCanonicalAuditEvents(client, range, (seq, prevHash, hash, canonical) => walker.feed(seq, prevHash, hash, canonical));
  return walker.result();
}
