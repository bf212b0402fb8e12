// Inputs of the controlled-record templates. Everything the PDF shows is passed in: the templates
// read no database, no network and no clock (generatedAt is an input), so a render is reproducible.

export interface RecordHistoryEntry {
  from: string | null;
  to: string;
  at: Date;
  actor: string;
  reason: string | null;
}

export interface RecordSignatureEntry {
  id: string;
  printedName: string;
  signedAt: Date;
  meaning: string;
  step: string;
  comment: string | null;
  recordVersion: number;
  contentHash: string;
  certificateSerial: string | null;
  /** The signer's detached CMS (base64 of DER), embedded as `signature-<id>.p7s`. */
  cmsBase64: string | null;
  /** The signed manifest (JSON text), embedded as `signature-<id>.json`. */
  manifestJson: string | null;
  /** Set when an amendment made the signature count no more toward its step. */
  invalidated?: { at: Date; byVersion: number; reason: string } | null;
}

/**
 * How a person reads the process's names (from its declaration, processes/labels.ts):
 * the record type, each state, content fields that need more than their humanised key. Unset: the
 * names as stored.
 */
export interface RecordLabels {
  type: string;
  statuses: Record<string, string>;
  /** By dotted path without array indices ("impact.riskLevel"). */
  fields: Record<string, string>;
}

export interface RecordAuditEntry {
  seq: number;
  occurredAt: Date;
  actor: string;
  action: string;
  oldValue: unknown;
  newValue: unknown;
  reason: string | null;
}

export interface RecordLinkEntry {
  relation: string;
  number: string;
  title: string;
}

/** One record as a dossier lists it: a record PDF's input without the document-level fields. */
export interface RecordSectionInput {
  record: { id: string; number: string; type: string; title: string; status: string; version: number; contentHash: string; createdAt: Date; createdBy: string };
  /** The record version's content, as read by a person (ids of people and records replaced by names). */
  content: Record<string, unknown>;
  /** RFC 8785 JSON of the content, embedded byte for byte as `record-<number>-v<version>.json`. */
  canonicalJson: string;
  history: RecordHistoryEntry[];
  signatures: RecordSignatureEntry[];
  audit: RecordAuditEntry[];
  links: RecordLinkEntry[];
  labels?: RecordLabels;
}

/**
 * A signed checkpoint of the audit chain's head at the time of the render (see
 * signatures/audit-checkpoint.ts), embedded as `audit-checkpoint.json` so that the auditor holds
 * evidence of how far the trail reached: a later deletion of its last events is then detectable.
 */
export interface AuditCheckpointInput {
  /** The signed checkpoint as JSON text, embedded byte for byte. */
  json: string;
  seq: number;
  hash: string;
}

export interface RecordPdfInput extends RecordSectionInput {
  organisation: string;
  generatedAt: Date;
  /** IANA zone (e.g. 'UTC', 'Europe/Berlin'): every time is printed with this zone's name and offset. */
  timeZone: string;
  auditCheckpoint?: AuditCheckpointInput;
}

/** What the contents show of a record before it is drawn. */
export type DossierRecordSummary = Pick<RecordSectionInput, 'record' | 'labels'>;

/**
 * The records of a long dossier, one at a time: the summaries up front, each record's full section
 * only when it is drawn (and released after), so that memory does not grow with the record count.
 * `load(i)` must return the record summarised by `summaries[i]` (same id, version and status).
 */
export interface DossierRecordSource {
  summaries: DossierRecordSummary[];
  load(index: number): Promise<RecordSectionInput> | RecordSectionInput;
}

export interface DossierPdfInput {
  organisation: string;
  generatedAt: Date;
  timeZone: string;
  dossierId: string;
  title: string;
  requestedBy: string;
  /** How the records were chosen, in words (e.g. "Records CC-0001, CC-0002"). */
  selectionDescription: string;
  /** The records in the order printed: all in memory, or loaded one at a time. */
  records: RecordSectionInput[] | DossierRecordSource;
  auditCheckpoint?: AuditCheckpointInput;
}
