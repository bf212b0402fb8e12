// Controlled copies of records: gather a record's evidence from the database, render it, seal it,
// store it with its SHA-256. Shared by the closure activity and the dossier render worker.
import { randomUUID } from 'node:crypto';
import type { Executor } from '../db/client';
import {
  appendAuditEvent,
  findLatestVersion,
  findRecord,
  findRecordsByIds,
  findUsersByIds,
  insertArtifact,
  linksOf,
  listAuditEventsForRecord,
  listSignatureInvalidations,
  listSignaturesForRecord,
  listTransitions,
} from '../db/repositories';
import { canonicalJson, sha256Hex } from '../signatures';
import type { CertificateAndKey } from '../signatures/pki';
import { sealPdf, sealPdfFile } from '../signatures/pades';
import type { AuditCheckpointInput, RecordPdfInput } from '../templates/record.template';
import { processLabels } from '../processes/labels';
import { writeAuditCheckpoint } from './audit-checkpoint';
import { uuidsIn, withNames } from './readable-ids';
import { SYSTEM_ACTOR_NAME } from './system-actor';

export interface SealingIdentity {
  organisation: string;
  seal: CertificateAndKey;
  caCertificatePem: string;
  timeZone: string;
  /** DATA_DIR/audit-checkpoints: where the audit checkpoint written at each seal is appended. */
  auditCheckpointDir?: string;
}

const titleOf = (content: unknown): string => {
  const title = (content as { title?: unknown } | null)?.title;
  return typeof title === 'string' ? title : '';
};

/**
 * What a dossier's contents list of a record (its identification, status and labels), read without
 * its audit trail and signatures: the record itself is read again, whole, when it is drawn.
 */
export async function loadRecordSummary(db: Executor, recordId: string): Promise<Pick<RecordPdfInput, 'record' | 'labels'>> {
  const record = await findRecord(db, recordId);
  if (!record) throw new Error(`No record ${recordId}`);
  const [version, transitions, [author]] = await Promise.all([
    findLatestVersion(db, recordId),
    listTransitions(db, recordId),
    findUsersByIds(db, [record.createdBy]),
  ]);
  return {
    record: {
      id: record.id,
      number: record.number,
      type: record.type,
      title: titleOf(version!.content),
      status: transitions.at(-1)?.toStatus ?? 'draft',
      version: version!.version,
      contentHash: version!.contentHash,
      createdAt: record.createdAt,
      createdBy: author?.printedName ?? record.createdBy,
    },
    labels: processLabels(record.type),
  };
}

/** Everything a record PDF shows, read from the database in one go. */
export async function loadRecordPdfInput(db: Executor, recordId: string): Promise<Omit<RecordPdfInput, 'organisation' | 'generatedAt' | 'timeZone'>> {
  const record = await findRecord(db, recordId);
  if (!record) throw new Error(`No record ${recordId}`);
  const [version, transitions, signatures, invalidations, audit, links] = await Promise.all([
    findLatestVersion(db, recordId),
    listTransitions(db, recordId),
    listSignaturesForRecord(db, recordId),
    listSignatureInvalidations(db, recordId),
    listAuditEventsForRecord(db, recordId),
    linksOf(db, recordId),
  ]);
  // People and records named anywhere in what is printed (task owners, authors, parent records).
  const mentioned = uuidsIn([version?.content, audit.map((e) => [e.oldValue, e.newValue])]);
  const people = new Map(
    (await findUsersByIds(db, [...new Set([record.createdBy, ...transitions.flatMap((t) => (t.actorId ? [t.actorId] : [])), ...mentioned])])).map((u) => [
      u.id,
      u.printedName,
    ]),
  );
  const otherIds = [...mentioned].filter((id) => !people.has(id));
  const names = new Map<string, string>([...people, ...(await findRecordsByIds(db, otherIds)).map((r) => [r.id, r.number] as const)]);
  const invalidated = new Map(invalidations.map((i) => [i.signatureId, { at: i.invalidatedAt, byVersion: i.byVersion, reason: i.reason }]));
  const linkedIds = links.map((l) => (l.fromRecordId === recordId ? l.toRecordId : l.fromRecordId));
  const linked = new Map((await findRecordsByIds(db, linkedIds)).map((r) => [r.id, r]));
  const linkedTitles = new Map(await Promise.all(linkedIds.map(async (id) => [id, titleOf((await findLatestVersion(db, id))?.content)] as const)));
  return {
    record: {
      id: record.id,
      number: record.number,
      type: record.type,
      title: titleOf(version!.content),
      status: transitions.at(-1)?.toStatus ?? 'draft',
      version: version!.version,
      contentHash: version!.contentHash,
      createdAt: record.createdAt,
      createdBy: people.get(record.createdBy) ?? record.createdBy,
    },
    content: withNames(version!.content as Record<string, unknown>, names),
    canonicalJson: canonicalJson(version!.content),
    history: transitions.map((t) => ({
      from: t.fromStatus,
      to: t.toStatus,
      at: t.occurredAt,
      actor: t.actorId ? (people.get(t.actorId) ?? t.actorId) : SYSTEM_ACTOR_NAME,
      reason: t.reason,
    })),
    signatures: signatures.map((s) => ({
      id: s.id,
      printedName: s.printedName,
      signedAt: s.signedAt,
      meaning: s.meaning,
      step: s.step,
      comment: s.comment,
      recordVersion: s.recordVersion,
      contentHash: s.contentHash,
      certificateSerial: s.certificateSerial,
      cmsBase64: s.cms,
      manifestJson: s.manifest ? canonicalJson(s.manifest) : null,
      invalidated: invalidated.get(s.id) ?? null,
    })),
    audit: audit.map((e) => ({
      seq: e.seq,
      occurredAt: e.occurredAt,
      actor: e.actorName,
      action: e.action,
      oldValue: withNames(e.oldValue, names),
      newValue: withNames(e.newValue, names),
      reason: e.reason,
    })),
    links: links.map((l) => {
      const other = linked.get(l.fromRecordId === recordId ? l.toRecordId : l.fromRecordId);
      return { relation: l.relation, number: other?.number ?? '?', title: other ? (linkedTitles.get(other.id) ?? '') : '' };
    }),
    labels: processLabels(record.type),
  };
}

/**
 * Signs a checkpoint of the audit chain's head (stored in the database and DATA_DIR) for a PDF
 * about to be sealed, so that the auditor's copy proves how far the trail reached.
 */
export async function checkpointForPdf(db: Executor, identity: SealingIdentity, at: Date): Promise<AuditCheckpointInput | undefined> {
  const signed = await writeAuditCheckpoint(db, identity, at);
  return signed && { json: `${JSON.stringify(signed, null, 2)}\n`, seq: signed.checkpoint.seq, hash: signed.checkpoint.hash };
}

const sealOf = (identity: SealingIdentity) => ({ ...identity.seal, caCertificatePem: identity.caCertificatePem });
const sealOptions = (identity: SealingIdentity, reason: string, signingTime: Date) => ({
  signingTime,
  reason,
  name: `${identity.organisation} — controlled record seal`,
  location: identity.organisation,
});

export async function sealAs(identity: SealingIdentity, pdf: Buffer, reason: string, signingTime: Date): Promise<Buffer> {
  return sealPdf(pdf, sealOf(identity), sealOptions(identity, reason, signingTime));
}

/** sealAs for a PDF in a file, sealed in place (sealPdfFile): the file is never read whole. */
export function sealFileAs(identity: SealingIdentity, file: string, reason: string, signingTime: Date): { size: number; sha256: string } {
  return sealPdfFile(file, sealOf(identity), sealOptions(identity, reason, signingTime));
}

/**
 * Stores a sealed PDF as a new artifact with its own audit event (a regeneration never replaces an
 * earlier artifact).
 */
export async function storeArtifact(
  tx: Executor,
  input: {
    kind: 'record_pdf' | 'dossier_pdf';
    recordId: string | null;
    recordVersion: number | null;
    dossierId: string | null;
    fileName: string;
    bytes: Buffer;
    reason: string;
    createdBy: { id: string | null; printedName: string };
  },
): Promise<{ id: string; sha256: string }> {
  const id = randomUUID();
  const sha256 = sha256Hex(input.bytes);
  const at = new Date();
  await insertArtifact(tx, {
    id,
    kind: input.kind,
    recordId: input.recordId,
    recordVersion: input.recordVersion,
    dossierId: input.dossierId,
    fileName: input.fileName,
    bytes: input.bytes,
    sha256,
    size: input.bytes.length,
    createdAt: at,
    createdBy: input.createdBy.id,
    reason: input.reason,
  });
  await appendAuditEvent(tx, {
    occurredAt: at,
    actorId: input.createdBy.id,
    actorName: input.createdBy.printedName,
    action: input.kind === 'record_pdf' ? 'record.pdf_generated' : 'dossier.pdf_generated',
    entityType: 'artifact',
    entityId: id,
    recordId: input.recordId,
    newValue: { fileName: input.fileName, sha256, size: input.bytes.length, recordVersion: input.recordVersion, dossierId: input.dossierId },
    reason: input.reason,
  });
  return { id, sha256 };
}
