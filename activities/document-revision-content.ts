// A document revision's content completed at creation: the document it revises (by number), its
// title and its revision number, in the transaction that creates the record.
import type { Executor } from '../db/client';
import { findDocumentByNumber, insertDocumentRevision, lockDocument, nextRevisionNumber } from '../db/repositories';
import { RefusalCodes } from '../workflows/contracts/common';
import type { JsonContent } from '../workflows/contracts/process-contracts';
import type { DocumentRevisionContent } from '../processes/document-revision/document-revision.process';
import { refusal } from './refusal';

/** Inside the creating transaction: ties the record to its document and assigns the revision number. */
export async function completeRevisionContent(tx: Executor, recordId: string, content: JsonContent, at: Date): Promise<JsonContent> {
  const requested = content as DocumentRevisionContent;
  const document = await findDocumentByNumber(tx, requested.documentNumber);
  if (!document) throw refusal(RefusalCodes.unknownDocument, `No controlled document ${requested.documentNumber}.`);
  await lockDocument(tx, document.id);
  const revision = await nextRevisionNumber(tx, document.id);
  await insertDocumentRevision(tx, { recordId, documentId: document.id, revision, createdAt: at });
  return {
    ...content,
    documentId: document.id,
    documentNumber: document.number,
    title: `${document.number} revision ${revision}: ${document.title}`,
    revision,
    file: requested.file ?? null,
    effectiveDate: requested.effectiveDate ?? null,
    reviewerRoles: requested.reviewerRoles ?? [],
    trainingRoles: requested.trainingRoles ?? [],
  };
}
