import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { auditCheckpointDirectory, readCheckpointFiles, verifyAuditTrail } from '../../activities/audit-checkpoint';
import { OrganisationPkiService } from '../pki/organisation-pki.service';
import type { DatabaseHandle } from '../../db/client';
import {
  acknowledgeAlert,
  appendAuditEvent,
  findUserById,
  insertRequirement,
  insertTrainingRecord,
  listAlerts,
  listMeanings,
  listRequirements,
  trainingRecordsOf,
  upsertMeaning,
  type UserWithRoles,
} from '../../db/repositories';
import { AppError } from '../common/app-error';
import type { ClientInfo } from '../common/request-context';
import { InjectDatabase, SETTINGS, type AppSettings } from '../infrastructure';
import type { SignatureMeaningDto, TrainingRecordDto, TrainingRequirementDto } from './admin.dto';

/** Training requirements and records, signature meanings, alerts and audit-trail verification. */
@Injectable()
export class AdminSettingsService {
  constructor(
    @InjectDatabase() private readonly database: DatabaseHandle,
    @Inject(SETTINGS) private readonly settings: AppSettings,
    private readonly pki: OrganisationPkiService,
  ) {}

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

  async requirements() {
    return (await listRequirements(this.db)).map(({ process, step, documentNumber, title }) => ({ process, step, documentNumber, title }));
  }

  async trainingRecordsOf(userId: string) {
    if (!(await findUserById(this.db, userId))) throw new AppError('not_found', `No user with id ${userId}.`);
    return (await trainingRecordsOf(this.db, userId)).map((r) => ({
      id: r.id,
      documentNumber: r.documentNumber,
      revision: r.revision,
      trainedAt: r.trainedAt.toISOString(),
      expiresAt: r.expiresAt?.toISOString() ?? null,
      recordedAt: r.recordedAt.toISOString(),
      reason: r.reason,
    }));
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

  async meanings() {
    return (await listMeanings(this.db)).map(({ name, description, active }) => ({ name, description, active }));
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

  /**
   * The chain walk, checked against the latest signed checkpoints of the database and of
   * DATA_DIR/audit-checkpoints: a deleted tail is named too (see activities/audit-checkpoint.ts).
   */
  async verifyAudit() {
    const local = readCheckpointFiles(auditCheckpointDirectory(this.settings.config.dataDir));
    const trail = await verifyAuditTrail(this.database, {
      caCertificatePem: this.pki.ca.certificatePem,
      sources: [{ source: 'DATA_DIR/audit-checkpoints', checkpoints: local.checkpoints, unreadable: local.unreadable }],
    });
    const { chain } = trail;
    return {
      ...chain,
      intact: trail.intact,
      problems: trail.problems,
      warnings: trail.warnings,
      checkpoints: trail.checkpoints.map((c) => ({
        source: c.source,
        seq: c.checkpoint?.seq ?? null,
        checkpointedAt: c.checkpoint?.checkpointedAt ?? null,
        matched: c.checkpoint ? !c.break : null,
      })),
      description: trail.intact
        ? `All ${chain.eventsChecked} events are intact and linked; none is missing after the latest checkpoints.`
        : trail.problems.join('. '),
    };
  }
}
