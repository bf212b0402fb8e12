// Document revision, as the API serves it: /api/document-revisions (tagged with the document
// register, whose own routes stay in api/documents/), created by document controllers.
import { processModule } from '../process-module';
import { documentRevisionProcess } from './document-revision.process';
import { resolveCreateDocumentRevision, resolveDocumentRevisionFields } from './document-revision.resolver';
import { AmendDocumentRevisionDto, CreateDocumentRevisionDto, DocumentRevisionFieldsDto } from './document-revision.schemas';

export const documentRevisionModule = processModule({
  definition: documentRevisionProcess,
  route: 'document-revisions',
  tag: 'documents',
  createRoles: ['document_controller'],
  createDto: CreateDocumentRevisionDto,
  fieldsDto: DocumentRevisionFieldsDto,
  amendDto: AmendDocumentRevisionDto,
  resolveCreate: resolveCreateDocumentRevision,
  resolveFields: resolveDocumentRevisionFields,
});
