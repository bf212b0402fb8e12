import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { DatabaseHandle } from '../../db/client';
import {
  acknowledgeAlert,
  appendAuditEvent,
  describeChainBreak,
  findUserById,
  insertRequirement,
  insertTrainingRecord,
  listAlerts,
  upsertMeaning,
  verifyAuditChain,
  type UserWithRoles,
} from '../../db/repositories';
import { AppError } from '../common/app-error';
import type { ClientInfo } from '../common/request-context';
import { InjectDatabase } from '../infrastructure';
import type { SignatureMeaningDto, TrainingRecordDto, TrainingRequirementDto } from './admin.dto';

/** Training requirements and records, signature meanings, alerts and audit-trail verification. */
@Injectable()
export class AdminSettingsService {
  constructor(@InjectDatabase() private readonly database: DatabaseHandle) {}

  private get db() {
    return this.database.db;
  }

  private event(
    admin: UserWithRoles,
    client: ClientInfo,
    action: string,
    entityType: string,
    entityId: string,
    newValue: Record<string, unknown>,
    reason: string,
  ) {
    return {
      occurredAt: new Date(),
      actorId: admin.id,
      actorName: admin.printedName,
      action,
      entityType,
      entityId,
      newValue: newValue as never,
      reason,
      ...client,
    };
  }

  async addRequirement(admin: UserWithRoles, dto: TrainingRequirementDto, client: ClientInfo) {
    const { reason, ...requirement } = dto;
    await this.db.transaction(async (tx) => {
      await insertRequirement(tx, requirement);
      await appendAuditEvent(
        tx,
        this.event(
          admin,
          client,
          'training_requirement.added',
          'training_requirement',
          `${dto.process}/${dto.step}/${dto.documentNumber}`,
          { ...requirement },
          reason,
        ),
      );
    });
    return requirement;
  }

  async addTrainingRecord(admin: UserWithRoles, dto: TrainingRecordDto, client: ClientInfo) {
    if (!(await findUserById(this.db, dto.userId))) throw new AppError('not_found', `No user with id ${dto.userId}.`);
    const id = randomUUID();
    const row = {
      id,
      userId: dto.userId,
      documentNumber: dto.documentNumber,
      revision: dto.revision,
      trainedAt: new Date(dto.trainedAt),
      expiresAt: dto.expiresAt ? new Date(dto.expiresAt) : null,
      recordedBy: admin.id,
      recordedAt: new Date(),
      reason: dto.reason,
    };
    await this.db.transaction(async (tx) => {
      await insertTrainingRecord(tx, row);
      await appendAuditEvent(
        tx,
        this.event(
          admin,
          client,
          'training_record.added',
          'training_record',
          id,
          { userId: dto.userId, documentNumber: dto.documentNumber, revision: dto.revision, trainedAt: dto.trainedAt, expiresAt: dto.expiresAt ?? null },
          dto.reason,
        ),
      );
    });
    return { id };
  }

  async setMeaning(admin: UserWithRoles, dto: SignatureMeaningDto, client: ClientInfo) {
    await this.db.transaction(async (tx) => {
      await upsertMeaning(tx, dto.name, dto.description, dto.active);
      await appendAuditEvent(
        tx,
        this.event(admin, client, 'signature_meaning.set', 'signature_meaning', dto.name, { description: dto.description, active: dto.active }, dto.reason),
      );
    });
  }

  async alerts(onlyOpen: boolean) {
    return (await listAlerts(this.db, onlyOpen)).map((a) => ({
      ...a,
      createdAt: a.createdAt.toISOString(),
      acknowledgedAt: a.acknowledgedAt?.toISOString() ?? null,
    }));
  }

  async acknowledgeAlert(admin: UserWithRoles, id: string, reason: string, client: ClientInfo) {
    await this.db.transaction(async (tx) => {
      if (!(await acknowledgeAlert(tx, id, admin.id, new Date()))) throw new AppError('not_found', 'No open alert with this id.');
      await appendAuditEvent(tx, this.event(admin, client, 'alert.acknowledged', 'alert', id, {}, reason));
    });
  }

  async verifyAudit() {
    const report = await verifyAuditChain(this.db);
    return { ...report, description: report.firstBreak ? describeChainBreak(report.firstBreak) : `All ${report.eventsChecked} events are intact and linked.` };
  }
}
