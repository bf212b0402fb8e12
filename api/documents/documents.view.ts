import type { DocumentFileMeta, DocumentListEntry, DocumentRevisionEntry } from '../../db/repositories';
import type { DocumentFileRef, DocumentRow, DocumentType, UserRow } from '../../db/schema';

export interface DocumentOwnerView {
  id: string;
  username: string;
  printedName: string;
}

export interface DocumentView {
  id: string;
  number: string;
  title: string;
  docType: DocumentType;
  owner: DocumentOwnerView;
  createdAt: string;
  /** The revision number currently effective, if any. */
  effectiveRevision: number | null;
}

export interface DocumentRevisionView {
  recordId: string;
  recordNumber: string;
  revision: number;
  /** effective / superseded / obsolete, or in_process while the revision's process runs. */
  status: 'effective' | 'superseded' | 'obsolete' | 'in_process';
  statusAt: string | null;
  file: DocumentFileRef | null;
  effectiveDate: string | null;
  createdAt: string;
}

export interface DocumentDetailView extends DocumentView {
  revisions: DocumentRevisionView[];
}

export interface DocumentFileView {
  sha256: string;
  size: number;
  fileName: string;
  mediaType: string;
}

export function toDocumentView(document: DocumentRow, owner: Pick<UserRow, 'id' | 'username' | 'printedName'>, effectiveRevision: number | null): DocumentView {
  return {
    id: document.id,
    number: document.number,
    title: document.title,
    docType: document.docType,
    owner: { id: owner.id, username: owner.username, printedName: owner.printedName },
    createdAt: document.createdAt.toISOString(),
    effectiveRevision,
  };
}

export function toDocumentListView(entry: DocumentListEntry): DocumentView {
  return toDocumentView(entry, { id: entry.ownerId, username: entry.ownerUsername, printedName: entry.ownerName }, entry.effectiveRevision);
}

export function toRevisionView(entry: DocumentRevisionEntry): DocumentRevisionView {
  return {
    recordId: entry.recordId,
    recordNumber: entry.recordNumber,
    revision: entry.revision,
    status: entry.status ?? 'in_process',
    statusAt: entry.statusAt?.toISOString() ?? null,
    file: entry.content?.file ?? null,
    effectiveDate: entry.content?.effectiveDate ?? null,
    createdAt: entry.createdAt.toISOString(),
  };
}

export function toFileView(file: DocumentFileMeta): DocumentFileView {
  return { sha256: file.sha256, size: file.size, fileName: file.fileName, mediaType: file.mediaType };
}
