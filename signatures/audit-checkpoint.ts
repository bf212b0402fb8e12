// Audit checkpoints (21 CFR 11.10(a), 11.10(e)): the hash chain proves that no event was edited or
// removed from its middle, but not that its last events are still there — a database superuser can
// delete the tail and the shorter chain is still a valid chain. A checkpoint anchors the chain's
// head outside the table: the sequence number and hash of the newest event, with the time, signed
// by the organisation's sealing certificate (a detached CMS), kept in the database, in DATA_DIR and
// in every sealed PDF. A chain that ends before a checkpoint, or differs from it at its sequence
// number, has lost (or replaced) events. Pure: keys, certificates and times are passed in.
import { canonicalJson } from './canonical-json';
import { signDetachedCms, verifyDetachedCms, type CmsVerification } from './pki';

export const AUDIT_CHECKPOINT_TYPE = 'attestflow.audit-checkpoint';

/** What a checkpoint states: "event `seq` of the audit chain had hash `hash` at `checkpointedAt`". */
export interface AuditCheckpoint {
  type: typeof AUDIT_CHECKPOINT_TYPE;
  version: 1;
  organisation: string;
  seq: number;
  hash: string;
  /** ISO 8601, UTC. */
  checkpointedAt: string;
}

/** A checkpoint with the sealing certificate's detached CMS over its canonical JSON (base64 DER). */
export interface SignedAuditCheckpoint {
  checkpoint: AuditCheckpoint;
  cms: string;
}

/** The exact bytes a checkpoint's CMS signs: the RFC 8785 JSON of the checkpoint. */
export function auditCheckpointBytes(checkpoint: AuditCheckpoint): Buffer {
  return Buffer.from(canonicalJson(checkpoint), 'utf8');
}

/** The common name of the organisation's sealing certificate (see createSealingCertificate). */
export const sealCommonName = (organisation: string): string => `${organisation} Document Seal`;

export function signAuditCheckpoint(options: {
  head: { seq: number; hash: string };
  at: Date;
  organisation: string;
  seal: { certificatePem: string; privateKeyPem: string };
  caCertificatePem: string;
}): SignedAuditCheckpoint {
  const { head, at, organisation, seal, caCertificatePem } = options;
  if (!Number.isSafeInteger(head.seq) || head.seq < 1) throw new RangeError(`a checkpoint needs an event (got seq ${head.seq})`);
  if (!/^[0-9a-f]{64}$/.test(head.hash)) throw new RangeError('a checkpoint hash is 64 lower-case hex digits');
  const checkpoint: AuditCheckpoint = {
    type: AUDIT_CHECKPOINT_TYPE,
    version: 1,
    organisation,
    seq: head.seq,
    hash: head.hash,
    checkpointedAt: at.toISOString(),
  };
  const cms = signDetachedCms({ content: auditCheckpointBytes(checkpoint), signingTime: at, ...seal, caCertificatePem });
  return { checkpoint, cms };
}

/** Reads a checkpoint from JSON text (a line of the DATA_DIR log, an embedded file); throws on anything else. */
export function parseSignedAuditCheckpoint(text: string): SignedAuditCheckpoint {
  const value = JSON.parse(text) as Partial<SignedAuditCheckpoint> | null;
  const c = value?.checkpoint;
  if (
    !c ||
    typeof value.cms !== 'string' ||
    c.type !== AUDIT_CHECKPOINT_TYPE ||
    c.version !== 1 ||
    typeof c.organisation !== 'string' ||
    !Number.isSafeInteger(c.seq) ||
    typeof c.hash !== 'string' ||
    typeof c.checkpointedAt !== 'string' ||
    Number.isNaN(Date.parse(c.checkpointedAt))
  ) {
    throw new Error('not an Attestflow audit checkpoint');
  }
  const { type, version, organisation, seq, hash, checkpointedAt } = c;
  return { checkpoint: { type, version, organisation, seq, hash, checkpointedAt }, cms: value.cms };
}

/**
 * The CMS must verify over the checkpoint's bytes at its own time, chain to the organisation CA, and
 * come from the organisation's sealing certificate (not from a person's signing certificate, which
 * the same CA issues).
 */
export function verifyAuditCheckpoint(signed: SignedAuditCheckpoint, options: { caCertificatePem: string }): CmsVerification {
  const { checkpoint } = signed;
  return verifyDetachedCms({
    content: auditCheckpointBytes(checkpoint),
    cmsBase64: signed.cms,
    caCertificatePem: options.caCertificatePem,
    signingTime: new Date(checkpoint.checkpointedAt),
    expectedSigner: { printedName: sealCommonName(checkpoint.organisation) },
  });
}

export type CheckpointBreak =
  /** The chain ends before the checkpoint: events lastSeq+1 .. checkpoint.seq are gone. */
  | { kind: 'tail_missing'; lastSeq: number; checkpointSeq: number; checkpointedAt: string }
  /** The chain reaches the checkpoint's seq, but that event's hash differs: the chain was rewritten at or before it. */
  | { kind: 'head_replaced'; seq: number; expectedHash: string; foundHash: string; checkpointedAt: string };

/**
 * Compares the live chain with one checkpoint. `hashAt` is the hash of the live event at the
 * checkpoint's seq (undefined when there is none); `lastSeq` the live chain's last seq. The chain
 * itself must have been walked (findChainBreak) for this to mean that every earlier event is intact.
 */
export function compareWithCheckpoint(live: { lastSeq: number; hashAt: string | undefined }, checkpoint: AuditCheckpoint): CheckpointBreak | null {
  if (live.lastSeq < checkpoint.seq || live.hashAt === undefined) {
    return { kind: 'tail_missing', lastSeq: live.lastSeq, checkpointSeq: checkpoint.seq, checkpointedAt: checkpoint.checkpointedAt };
  }
  if (live.hashAt !== checkpoint.hash) {
    return { kind: 'head_replaced', seq: checkpoint.seq, expectedHash: checkpoint.hash, foundHash: live.hashAt, checkpointedAt: checkpoint.checkpointedAt };
  }
  return null;
}

export function describeCheckpointBreak(b: CheckpointBreak, source: string): string {
  switch (b.kind) {
    case 'tail_missing': {
      const from = b.lastSeq + 1;
      const events = from === b.checkpointSeq ? `event ${from} is` : `events ${from}..${b.checkpointSeq} are`;
      return `${events} missing after the checkpoint of ${b.checkpointedAt} (${source}), which saw the chain reach event ${b.checkpointSeq}; the trail now ends at event ${b.lastSeq}`;
    }
    case 'head_replaced':
      return `event ${b.seq} differs from the checkpoint of ${b.checkpointedAt} (${source}): expected hash ${b.expectedHash}, found ${b.foundHash}; events up to ${b.seq} were deleted and replaced`;
  }
}

/** One line for a report: "event 335 (hash 1a2b…) at 2026-…". */
export function describeCheckpoint(c: AuditCheckpoint): string {
  return `event ${c.seq}, hash ${c.hash}, at ${c.checkpointedAt} (${c.organisation})`;
}
