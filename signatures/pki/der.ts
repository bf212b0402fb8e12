import forge from 'node-forge';

/** A minimal DER writer and reader: enough for CAdES signed attributes and SignedData. */

export const TAG = {
  INTEGER: 0x02,
  OCTET_STRING: 0x04,
  NULL: 0x05,
  OID: 0x06,
  SEQUENCE: 0x30,
  SET: 0x31,
  CTX0_CONSTRUCTED: 0xa0,
  CTX4_CONSTRUCTED: 0xa4,
} as const;

function lengthBytes(length: number): Buffer {
  if (length < 0x80) return Buffer.from([length]);
  const bytes: number[] = [];
  for (let rest = length; rest > 0; rest = Math.floor(rest / 256)) bytes.unshift(rest % 256);
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}

/** One DER element: tag, definite length, content. */
export function der(tag: number, ...content: Buffer[]): Buffer {
  const body = Buffer.concat(content);
  return Buffer.concat([Buffer.from([tag]), lengthBytes(body.length), body]);
}

export const derOid = (oid: string): Buffer => der(TAG.OID, Buffer.from(forge.asn1.oidToDer(oid).getBytes(), 'binary'));

export const derNull = (): Buffer => der(TAG.NULL);

/** A DER SET OF: the elements sorted by their encodings (X.690 §11.6). */
export function derSetOf(elements: Buffer[], tag: number = TAG.SET): Buffer {
  return der(tag, ...[...elements].sort(Buffer.compare));
}

export interface Tlv {
  tag: number;
  /** The whole element: tag, length and content. */
  bytes: Buffer;
  content: Buffer;
}

/** Reads the element at `offset`; throws on truncation, indefinite lengths and multi-byte tags. */
export function readTlv(buf: Buffer, offset = 0): Tlv {
  if (offset + 2 > buf.length) throw new Error('truncated DER');
  const tag = buf[offset]!;
  if ((tag & 0x1f) === 0x1f) throw new Error('multi-byte DER tags are not supported');
  const first = buf[offset + 1]!;
  let length = first;
  let header = 2;
  if (first & 0x80) {
    const count = first & 0x7f;
    if (count === 0 || count > 4) throw new Error('indefinite or oversized DER length');
    if (offset + 2 + count > buf.length) throw new Error('truncated DER');
    length = buf.readUIntBE(offset + 2, count);
    header += count;
  }
  const end = offset + header + length;
  if (end > buf.length) throw new Error('truncated DER');
  return { tag, bytes: buf.subarray(offset, end), content: buf.subarray(offset + header, end) };
}

/** The elements inside a constructed element. */
export function children(tlv: Tlv): Tlv[] {
  const items: Tlv[] = [];
  for (let offset = 0; offset < tlv.content.length; offset += items[items.length - 1]!.bytes.length) {
    items.push(readTlv(tlv.content, offset));
  }
  return items;
}

export function expectTag(tlv: Tlv | undefined, tag: number, what: string): Tlv {
  if (!tlv || tlv.tag !== tag) throw new Error(`malformed DER: expected ${what}`);
  return tlv;
}

export function readOid(tlv: Tlv | undefined, what: string): string {
  return forge.asn1.derToOid(expectTag(tlv, TAG.OID, what).content.toString('binary'));
}
