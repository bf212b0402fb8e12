import { randomUUID } from 'node:crypto';
import { createReadStream } from 'node:fs';
import type { IncomingMessage } from 'node:http';
import path from 'node:path';
import { Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import type { AttestflowConfig } from '../../config/config';
import type { DatabaseHandle } from '../../db/client';
import {
  appendAuditEvent,
  effectiveRevision,
  documentFileMeta,
  findDocumentByNumber,
  findRecord,
  findRecordsByIds,
  findRevision,
  findUserById,
  findUserByUsername,
  insertDocument,
  insertDocumentFile,
  insertDocumentFileChunks,
  listDocuments,
  listRevisions,
  readDocumentFileBytes,
  type DocumentRevisionEntry,
  type UserWithRoles,
} from '../../db/repositories';
import type { ListPage } from '../../db/repositories';
import { DOCUMENT_FILE_CHUNK_SIZE, type DocumentRow } from '../../db/schema';
import { AppError } from '../common/app-error';
import type { ClientInfo } from '../common/request-context';
import { receiveUpload, sweepAbandonedUploads } from '../common/streamed-upload';
import { DOCUMENT_MEDIA_TYPES, mediaTypeOf } from '../common/upload-routes';
import { InjectConfig, InjectDatabase } from '../infrastructure';
import { assertMayRead, mayRead } from '../records/record-access';
import type { RegisterDocumentDto } from './documents.dto';
import { PeriodicReviewService } from './periodic-review.service';
import {
  toDocumentListView,
  toDocumentView,
  toFileView,
  toRevisionView,
  type DocumentDetailView,
  type DocumentFileView,
  type DocumentView,
} from './documents.view';

export { DOCUMENT_MEDIA_TYPES };

export interface DocumentDownload {
  fileName: string;
  mediaType: string;
  sha256: string;
  size: number;
  /** The bytes, chunk by chunk as stored: never the whole file in memory. */
  bytes: AsyncIterable<Buffer>;
}

const isUniqueViolation = (error: unknown) =>
  (error as { code?: string; cause?: { code?: string } })?.code === '23505' || (error as { cause?: { code?: string } })?.cause?.code === '23505';

/**
 * Document control, read side and register: documents, their files (content-addressed) and their
 * revisions as the revision process leaves them. Revisions themselves are made by that process.
 */
@Injectable()
export class DocumentsService implements OnApplicationBootstrap {
  constructor(
    @InjectDatabase() private readonly database: DatabaseHandle,
    @InjectConfig() private readonly config: AttestflowConfig,
    private readonly periodicReviews: PeriodicReviewService,
  ) {}

  /** Temporary files of uploads a killed process never finished are removed at start. */
  async onApplicationBootstrap(): Promise<void> {
    const removed = await sweepAbandonedUploads(this.uploadDirectory);
    if (removed.length) new Logger('Uploads').log(`Removed ${removed.length} temporary file(s) of interrupted uploads from ${this.uploadDirectory}`);
  }

  private get uploadDirectory(): string {
    return path.join(this.config.dataDir, 'uploads');
  }

  private get db() {
    return this.database.db;
  }

  private async document(number: string): Promise<DocumentRow> {
    const document = await findDocumentByNumber(this.db, number);
    if (!document) throw new AppError('unknown_document', `No document numbered ${number}.`);
    return document;
  }

  async register(user: UserWithRoles, dto: RegisterDocumentDto, client: ClientInfo): Promise<DocumentView> {
    if (await findDocumentByNumber(this.db, dto.number)) throw new AppError('document_exists', `A document numbered ${dto.number} is already registered.`);
    const owner = await findUserByUsername(this.db, dto.ownerUsername);
    if (!owner) throw new AppError('unknown_user', `No user named "${dto.ownerUsername}".`);
    if (owner.status !== 'active') throw new AppError('unknown_user', `The account "${dto.ownerUsername}" is disabled and cannot own a document.`);
    const document: DocumentRow = {
      id: randomUUID(),
      number: dto.number,
      title: dto.title,
      docType: dto.docType,
      ownerId: owner.id,
      createdBy: user.id,
      createdAt: new Date(),
    };
    try {
      await this.db.transaction(async (tx) => {
        await insertDocument(tx, document);
        await appendAuditEvent(tx, {
          occurredAt: document.createdAt,
          actorId: user.id,
          actorName: user.printedName,
          action: 'document.registered',
          entityType: 'document',
          entityId: document.id,
          newValue: { number: document.number, title: document.title, docType: document.docType, owner: owner.username },
          ...client,
        });
      });
    } catch (error) {
      // Registered by someone else between the check and the insert.
      if (isUniqueViolation(error)) throw new AppError('document_exists', `A document numbered ${dto.number} is already registered.`);
      throw error;
    }
    return toDocumentView(document, owner, null);
  }

  async list(page: ListPage = {}): Promise<DocumentView[]> {
    const entries = await listDocuments(this.db, page);
    const next = await this.periodicReviews.nextReviews(entries.flatMap((e) => (e.effectiveRecordId ? [e.effectiveRecordId] : [])));
    return entries.map((e) => toDocumentListView(e, (e.effectiveRecordId && next.get(e.effectiveRecordId)) || null));
  }

  /**
   * The document with its revisions. An issued revision (effective, superseded, obsolete) is listed
   * to every reader; a revision still in its process is a draft record, listed only to those who may
   * read that record (api/records/record-access.ts): to anyone else it is not there.
   */
  async get(user: UserWithRoles, number: string): Promise<DocumentDetailView> {
    const document = await this.document(number);
    const [owner, revisions] = await Promise.all([findUserById(this.db, document.ownerId), listRevisions(this.db, document.id)]);
    const drafts = await findRecordsByIds(
      this.db,
      revisions.filter((r) => r.status === null).map((r) => r.recordId),
    );
    const unreadable = new Set<string>();
    for (const record of drafts) if (!(await mayRead(this.db, user, record))) unreadable.add(record.id);
    const effective = revisions.find((r) => r.status === 'effective');
    const next = effective ? (await this.periodicReviews.nextReviews([effective.recordId])).get(effective.recordId) : undefined;
    return {
      ...toDocumentView(document, owner!, effective?.revision ?? null, next ?? null),
      revisions: revisions.filter((r) => !unreadable.has(r.recordId)).map(toRevisionView),
    };
  }

  /**
   * Stores the bytes under their SHA-256; the same bytes uploaded again are the file already stored.
   * The body is streamed to a temporary file under DATA_DIR/uploads (hashed on the way, refused with
   * 413 over UPLOAD_LIMIT) and from there into PostgreSQL chunk by chunk: never held whole in memory.
   */
  async upload(user: UserWithRoles, body: IncomingMessage, contentType: string | undefined, fileName: string, client: ClientInfo): Promise<DocumentFileView> {
    const mediaType = mediaTypeOf(contentType) ?? '';
    if (!DOCUMENT_MEDIA_TYPES.includes(mediaType)) {
      throw new AppError('unsupported_media_type', `Send the file itself as the request body, with content-type ${DOCUMENT_MEDIA_TYPES.join(' or ')}.`);
    }
    const received = await receiveUpload(body, { directory: this.uploadDirectory, limit: this.config.uploadLimit });
    try {
      if (received.size === 0) throw new AppError('empty_file', 'The request body is empty: send the file itself.');
      const { sha256, size } = received;
      const at = new Date();
      const stored = await this.db.transaction(async (tx) => {
        const result = await insertDocumentFile(tx, { sha256, bytes: null, size, fileName, mediaType, uploadedBy: user.id, uploadedAt: at });
        if (result.created) {
          await insertDocumentFileChunks(tx, sha256, createReadStream(received.file, { highWaterMark: DOCUMENT_FILE_CHUNK_SIZE }));
          await appendAuditEvent(tx, {
            occurredAt: at,
            actorId: user.id,
            actorName: user.printedName,
            action: 'document.file_uploaded',
            entityType: 'document_file',
            entityId: sha256,
            newValue: { sha256, size, fileName, mediaType },
            ...client,
          });
        }
        return result.file;
      });
      return toFileView(stored);
    } finally {
      await received.discard();
    }
  }

  /**
   * The file of the effective revision, or of the named revision. A revision still in its process
   * is a draft record: only those who may read the record get its file.
   */
  async download(user: UserWithRoles, number: string, revision: number | undefined): Promise<DocumentDownload> {
    const document = await this.document(number);
    let entry: DocumentRevisionEntry | undefined;
    if (revision === undefined) {
      entry = await effectiveRevision(this.db, document.id);
      if (!entry) throw new AppError('no_effective_revision', `${number} has no effective revision.`);
    } else {
      entry = await findRevision(this.db, document.id, revision);
      if (!entry) throw new AppError('unknown_revision', `${number} has no revision ${revision}.`);
      if (entry.status === null) await assertMayRead(this.db, user, (await findRecord(this.db, entry.recordId))!);
    }
    const ref = entry.content?.file;
    if (!ref) throw new AppError('no_file', `Revision ${entry.revision} of ${number} (${entry.recordNumber}) names no file yet.`);
    const file = await documentFileMeta(this.db, ref.sha256);
    if (!file)
      throw new AppError('no_file', `Revision ${entry.revision} of ${number} (${entry.recordNumber}) names a file that is not stored (${ref.sha256}).`);
    return { fileName: ref.fileName, mediaType: file.mediaType, sha256: file.sha256, size: file.size, bytes: readDocumentFileBytes(this.db, file.sha256) };
  }
}
