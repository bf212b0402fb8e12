// A change control's fields as people send them → its content: affected documents checked against
// the register, owners of implementation tasks resolved from their usernames.
import { AppError } from '../../api/common/app-error';
import type { Database } from '../../db/client';
import { findDocumentByNumber } from '../../db/repositories';
import { resolvePlannedTasks, sentFields } from '../shared/planned-tasks.resolver';
import type { ChangeControlContent } from './change-control.process';
import type { ChangeControlFieldsDto, CreateChangeControlDto } from './change-control.schemas';

export function resolveCreateChangeControl(body: CreateChangeControlDto): ChangeControlContent {
  return { title: body.title, description: body.description, reason: body.reason, riskLevel: body.riskLevel };
}

export async function resolveChangeControlFields(db: Database, fields: ChangeControlFieldsDto): Promise<Partial<ChangeControlContent>> {
  const { impact, implementationTasks, ...rest } = fields;
  const content: Partial<ChangeControlContent> = sentFields(rest);
  if (impact) {
    for (const number of impact.affectedDocuments) {
      if (!(await findDocumentByNumber(db, number)))
        throw new AppError('unknown_document', `No controlled document ${number}; register it before naming it as affected.`);
    }
    content.impact = { ...impact, affectedDocuments: [...new Set(impact.affectedDocuments)], affectedAreas: [...new Set(impact.affectedAreas)] };
  }
  if (implementationTasks) content.implementationTasks = await resolvePlannedTasks(db, implementationTasks, 'task');
  return content;
}
