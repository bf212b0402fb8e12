import type { DocumentFileMeta, DocumentListEntry, DocumentRevisionEntry } from '../../db/repositories';
import { ApiProperty } from '@nestjs/swagger';
import { DOCUMENT_TYPES, type DocumentFileRef, type DocumentRow, type DocumentType, type UserRow } from '../../db/schema';

const dateTime = { type: String, format: 'date-time' } as const;

export class DocumentOwnerView {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() username!: string;
  @ApiProperty() printedName!: string;
}

export class DocumentView {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ example: 'SOP-QA-007' }) number!: string;
  @ApiProperty() title!: string;
  @ApiProperty({ enum: DOCUMENT_TYPES }) docType!: DocumentType;
  @ApiProperty({ type: DocumentOwnerView }) owner!: DocumentOwnerView;
  @ApiProperty(dateTime) createdAt!: string;
  /** The revision number currently effective, if any. */
  @ApiProperty({ type: Number, nullable: true, description: 'The revision number currently effective, if any' }) effectiveRevision!: number | null;
  @ApiProperty({
    ...dateTime,
    nullable: true,
    description:
      "When the effective revision's next periodic review falls due: the start of its current review period (entering the effective step, or the latest periodic review task opening) plus the period its process was started with; null without an effective revision",
  })
  nextPeriodicReview!: string | null;
}

/** A file as a revision's content names it (the bytes are fetched by number and revision). */
export class DocumentFileView implements DocumentFileRef {
  @ApiProperty({ pattern: '^[0-9a-f]{64}$' }) sha256!: string;
  @ApiProperty() size!: number;
  @ApiProperty() fileName!: string;
  @ApiProperty({ example: 'application/pdf' }) mediaType!: string;
}

export class DocumentRevisionView {
  @ApiProperty({ format: 'uuid' }) recordId!: string;
  @ApiProperty({ example: 'DOC-2026-0001' }) recordNumber!: string;
  @ApiProperty() revision!: number;
  /** effective / superseded / obsolete, or in_process while the revision's process runs. */
  @ApiProperty({ enum: ['effective', 'superseded', 'obsolete', 'in_process'], description: "in_process while the revision's process runs" })
  status!: 'effective' | 'superseded' | 'obsolete' | 'in_process';
  @ApiProperty({ ...dateTime, nullable: true }) statusAt!: string | null;
  @ApiProperty({ type: DocumentFileView, nullable: true }) file!: DocumentFileRef | null;
  @ApiProperty({ type: String, format: 'date', nullable: true }) effectiveDate!: string | null;
  @ApiProperty(dateTime) createdAt!: string;
}

export class DocumentDetailView extends DocumentView {
  @ApiProperty({ type: [DocumentRevisionView] }) revisions!: DocumentRevisionView[];
}

export function toDocumentView(
  document: DocumentRow,
  owner: Pick<UserRow, 'id' | 'username' | 'printedName'>,
  effectiveRevision: number | null,
  nextPeriodicReview: Date | null = null,
): DocumentView {
  return {
    id: document.id,
    number: document.number,
    title: document.title,
    docType: document.docType,
    owner: { id: owner.id, username: owner.username, printedName: owner.printedName },
    createdAt: document.createdAt.toISOString(),
    effectiveRevision,
    nextPeriodicReview: nextPeriodicReview?.toISOString() ?? null,
  };
}

export function toDocumentListView(entry: DocumentListEntry, nextPeriodicReview: Date | null): DocumentView {
  return toDocumentView(entry, { id: entry.ownerId, username: entry.ownerUsername, printedName: entry.ownerName }, entry.effectiveRevision, nextPeriodicReview);
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
