// A document revision's fields as people send them → its content: the document checked against the
// register, the content file by its SHA-256, reviewer and training roles checked (reviewers sign).
import { AppError } from '../../api/common/app-error';
import type { Database } from '../../db/client';
import { documentFileMeta, findDocumentByNumber, findRoles } from '../../db/repositories';
import { sentFields } from '../shared/planned-tasks.resolver';
import type { DocumentRevisionContent } from './document-revision.process';
import type { CreateDocumentRevisionDto, DocumentRevisionFieldsDto } from './document-revision.schemas';

export async function resolveCreateDocumentRevision(db: Database, body: CreateDocumentRevisionDto): Promise<DocumentRevisionContent> {
  if (!(await findDocumentByNumber(db, body.documentNumber))) throw new AppError('unknown_document', `No controlled document ${body.documentNumber}.`);
  return { documentNumber: body.documentNumber, changeSummary: body.changeSummary };
}

export async function resolveDocumentRevisionFields(db: Database, fields: DocumentRevisionFieldsDto): Promise<Partial<DocumentRevisionContent>> {
  const { fileSha256, ...rest } = fields;
  const content: Partial<DocumentRevisionContent> = sentFields(rest);
  if (fileSha256) {
    const file = await documentFileMeta(db, fileSha256);
    if (!file) throw new AppError('unknown_file', `No uploaded file with SHA-256 ${fileSha256}; upload it with POST /api/documents/files first.`);
    content.file = { sha256: file.sha256, fileName: file.fileName, size: file.size, mediaType: file.mediaType };
  }
  const named = [...(fields.reviewerRoles ?? []), ...(fields.trainingRoles ?? [])];
  if (named.length) {
    const found = await findRoles(db, named);
    const known = new Set(found.map((r) => r.name));
    const unknown = named.filter((r) => !known.has(r));
    if (unknown.length) throw new AppError('validation_failed', `Unknown role(s): ${[...new Set(unknown)].join(', ')}.`);
    // Reviewers sign; auditors and administrators never do (people in any role may be trained).
    const nonSigning = found.filter((r) => !r.maySign && fields.reviewerRoles?.includes(r.name)).map((r) => r.name);
    if (nonSigning.length) {
      throw new AppError('role_may_not_sign', `The role ${nonSigning.join(', ')} never signs records, so it cannot review a revision.`, {
        roles: nonSigning,
      });
    }
  }
  return content;
}
