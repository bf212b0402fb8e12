import { Injectable } from '@nestjs/common';
import type { DatabaseHandle } from '../../db/client';
import { documentFileMeta, dutyLimits, findDocumentByNumber, findRoles, findUserByUsername } from '../../db/repositories';
import type { JsonContent } from '../../workflows/process-contracts';
import { AppError } from '../common/app-error';
import { InjectDatabase } from '../infrastructure';
import type { CapaFieldsDto } from './capa.dto';
import type { ChangeControlFieldsDto, PlannedTaskDto } from './change-control.dto';
import type { DocumentRevisionFieldsDto } from './document-revision.dto';

/** Only the fields that were sent (validated DTO instances carry declared-but-absent fields as undefined). */
function sent(fields: object): JsonContent {
  return Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined));
}

/**
 * Turns the fields people send (usernames, document numbers, file hashes) into record content
 * (user ids with printed names, checked references). Unknown references are refused before any
 * process sees them.
 */
@Injectable()
export class ProcessContentService {
  constructor(@InjectDatabase() private readonly database: DatabaseHandle) {}

  private get db() {
    return this.database.db;
  }

  private async plannedTasks(tasks: PlannedTaskDto[], prefix: string) {
    return Promise.all(
      tasks.map(async (task, index) => {
        const owner = await findUserByUsername(this.db, task.ownerUsername);
        if (!owner || owner.status !== 'active') throw new AppError('unknown_user', `Task "${task.title}": no active user ${task.ownerUsername}.`);
        const { mayNotOwnTasks } = await dutyLimits(this.db, owner.roles);
        if (mayNotOwnTasks.length) {
          throw new AppError(
            'role_may_not_own_task',
            `Task "${task.title}": ${task.ownerUsername} holds the role ${mayNotOwnTasks.join(', ')}, which never owns a task.`,
            { ownerUsername: task.ownerUsername, roles: mayNotOwnTasks },
          );
        }
        return {
          key: `${prefix}-${index + 1}`,
          title: task.title,
          ownerId: owner.id,
          ownerName: owner.printedName,
          dueAt: task.dueAt ? new Date(task.dueAt).toISOString() : null,
        };
      }),
    );
  }

  async changeControlFields(fields: ChangeControlFieldsDto): Promise<JsonContent> {
    const { impact, implementationTasks, ...rest } = fields;
    const content: JsonContent = sent(rest);
    if (impact) {
      for (const number of impact.affectedDocuments) {
        if (!(await findDocumentByNumber(this.db, number)))
          throw new AppError('unknown_document', `No controlled document ${number}; register it before naming it as affected.`);
      }
      content.impact = { ...impact, affectedDocuments: [...new Set(impact.affectedDocuments)], affectedAreas: [...new Set(impact.affectedAreas)] };
    }
    if (implementationTasks) content.implementationTasks = await this.plannedTasks(implementationTasks, 'task');
    return content;
  }

  async capaFields(fields: CapaFieldsDto): Promise<JsonContent> {
    const { actions, ...rest } = fields;
    const content: JsonContent = sent(rest);
    if (actions) {
      const planned = await this.plannedTasks(actions, 'action');
      content.actions = planned.map((task, i) => ({ ...task, changeControl: actions[i]!.changeControl ? { ...actions[i]!.changeControl } : null }));
    }
    return content;
  }

  async documentRevisionFields(fields: DocumentRevisionFieldsDto): Promise<JsonContent> {
    const { fileSha256, ...rest } = fields;
    const content: JsonContent = sent(rest);
    if (fileSha256) {
      const file = await documentFileMeta(this.db, fileSha256);
      if (!file) throw new AppError('unknown_file', `No uploaded file with SHA-256 ${fileSha256}; upload it with POST /api/documents/files first.`);
      content.file = { sha256: file.sha256, fileName: file.fileName, size: file.size, mediaType: file.mediaType };
    }
    const named = [...(fields.reviewerRoles ?? []), ...(fields.trainingRoles ?? [])];
    if (named.length) {
      const found = await findRoles(this.db, named);
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

  async documentToRevise(documentNumber: string): Promise<void> {
    if (!(await findDocumentByNumber(this.db, documentNumber))) throw new AppError('unknown_document', `No controlled document ${documentNumber}.`);
  }
}
