import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { WithStartWorkflowOperation, WorkflowNotFoundError, type Client } from '@temporalio/client';
import type { AttestflowConfig } from '../../config/config';
import type { DatabaseHandle } from '../../db/client';
import {
  findLatestVersion,
  findRecord,
  findSignature,
  listOpenTasksForRecord,
  listSignaturesForRecord,
  listTransitions,
  type UserWithRoles,
} from '../../db/repositories';
import { CHANGE_CONTROL_TYPE } from '../../activities/change-control.activities';
import {
  CHANGE_CONTROL_WORKFLOW,
  changeControlWorkflowId,
  createdUpdate,
  rejectUpdate,
  signUpdate,
  submitUpdate,
  type ChangeControlInput,
  type RequestContext,
} from '../../workflows/contracts';
import { AuthService } from '../auth/auth.service';
import { SignatureCeremonyService } from '../signing/signature-ceremony.service';
import type { SessionRow } from '../../db/schema';
import { AppError } from '../common/app-error';
import { fromTemporal } from '../common/app-exception.filter';
import type { ClientInfo } from '../common/request-context';
import { InjectConfig, InjectDatabase, InjectTemporal } from '../infrastructure';
import { assertCanRead } from '../records/record-access';
import type { CreateChangeControlDto, RejectChangeControlDto, SignChangeControlDto } from './change-control.dto';
import { toChangeControlView, toSignatureView, type ChangeControlView, type SignatureView } from './change-control.view';

export interface SignedRecordView {
  signature: SignatureView;
  record: ChangeControlView;
}

/** Reads come from PostgreSQL; every state change goes through a workflow Update. */
@Injectable()
export class ChangeControlService {
  constructor(
    @InjectDatabase() private readonly database: DatabaseHandle,
    @InjectTemporal() private readonly temporal: Client,
    @InjectConfig() private readonly config: AttestflowConfig,
    private readonly auth: AuthService,
    private readonly ceremony: SignatureCeremonyService,
  ) {}

  private get db() {
    return this.database.db;
  }

  async create(user: UserWithRoles, dto: CreateChangeControlDto, client: ClientInfo): Promise<ChangeControlView> {
    const recordId = randomUUID();
    const input: ChangeControlInput = {
      recordId,
      content: { title: dto.title, description: dto.description, reason: dto.reason, riskLevel: dto.riskLevel },
      context: { actorId: user.id, ...client },
    };
    const startWorkflowOperation = new WithStartWorkflowOperation(CHANGE_CONTROL_WORKFLOW, {
      workflowId: changeControlWorkflowId(recordId),
      taskQueue: this.config.temporalTaskQueue,
      args: [input],
      workflowIdConflictPolicy: 'FAIL',
    });
    await this.run(() => this.temporal.workflow.executeUpdateWithStart(createdUpdate, { startWorkflowOperation }));
    return this.get(recordId);
  }

  async get(id: string, reader?: UserWithRoles): Promise<ChangeControlView> {
    const record = await findRecord(this.db, id);
    if (!record || record.type !== CHANGE_CONTROL_TYPE) throw new AppError('not_found', `No change control with id ${id}.`);
    if (reader) assertCanRead(reader, record);
    const [version, transitions, signatures, openTasks] = await Promise.all([
      findLatestVersion(this.db, id),
      listTransitions(this.db, id),
      listSignaturesForRecord(this.db, id),
      listOpenTasksForRecord(this.db, id),
    ]);
    return toChangeControlView(record, version!, transitions, signatures, openTasks);
  }

  async submit(user: UserWithRoles, id: string, client: ClientInfo): Promise<ChangeControlView> {
    const view = await this.get(id);
    if (view.createdBy !== user.id) throw new AppError('not_authorised', `Only the author of ${view.number} can submit it.`);
    await this.update(view, () => this.handle(id).executeUpdate(submitUpdate, { args: [{ context: this.context(user, client) }] }));
    return this.get(id);
  }

  async sign(user: UserWithRoles, session: SessionRow, id: string, dto: SignChangeControlDto, client: ClientInfo): Promise<SignedRecordView> {
    return this.decide(user, session, id, dto, client, 'approved', null, dto.comment ?? null);
  }

  async reject(user: UserWithRoles, session: SessionRow, id: string, dto: RejectChangeControlDto, client: ClientInfo): Promise<SignedRecordView> {
    return this.decide(user, session, id, dto, client, 'rejected', dto.reason, dto.reason);
  }

  /**
   * QA's decision as an e-signature: the ceremony (re-authentication, the signer's CMS), then the
   * workflow Update whose id is the signature id, so a retried request cannot sign twice.
   */
  private async decide(
    user: UserWithRoles,
    session: SessionRow,
    id: string,
    dto: SignChangeControlDto | RejectChangeControlDto,
    client: ClientInfo,
    outcome: 'approved' | 'rejected',
    reason: string | null,
    comment: string | null,
  ): Promise<SignedRecordView> {
    const view = await this.get(id);
    if (await this.existingSignature(dto.signatureId, user, id)) {
      await this.auth.reauthenticate(user, dto.password, { recordId: id, signatureId: dto.signatureId, action: outcome }, client);
      return this.signedView(dto.signatureId, id);
    }
    const meaning = 'meaning' in dto ? dto.meaning : 'rejected';
    const signed = await this.ceremony.prepare({
      user,
      session,
      signatureId: dto.signatureId,
      password: dto.password,
      username: dto.username,
      record: { id, number: view.number, version: dto.recordVersion, contentHash: dto.contentHash },
      step: 'qa_approval',
      meaning,
      allowedMeanings: [outcome],
      comment,
      client,
      requireAcknowledgement: true,
    });
    if (dto.recordVersion !== view.version || dto.contentHash !== view.contentHash) {
      throw new AppError(
        'stale_version',
        `${view.number} has changed since you opened it: version ${view.version} is current. Review it again before signing.`,
      );
    }
    const context = this.context(user, client);
    await this.update(view, () =>
      outcome === 'approved'
        ? this.handle(id).executeUpdate(signUpdate, { updateId: dto.signatureId, args: [{ signatureId: dto.signatureId, signed, context }] })
        : this.handle(id).executeUpdate(rejectUpdate, {
            updateId: dto.signatureId,
            args: [{ signatureId: dto.signatureId, reason: reason!, signed, context }],
          }),
    );
    await this.ceremony.completed(session);
    return this.signedView(dto.signatureId, id);
  }

  private async signedView(signatureId: string, recordId: string): Promise<SignedRecordView> {
    return { signature: toSignatureView((await findSignature(this.db, signatureId))!), record: await this.get(recordId) };
  }

  /** A repeated request with the same signature id returns the signature it made, and signs nothing new. */
  private async existingSignature(signatureId: string, user: UserWithRoles, recordId: string): Promise<boolean> {
    const existing = await findSignature(this.db, signatureId);
    if (!existing) return false;
    if (existing.signerId !== user.id || existing.recordId !== recordId) {
      throw new AppError('signature_id_conflict', 'This signature id is already used by another signature; choose a new one.');
    }
    return true;
  }

  private handle(id: string) {
    return this.temporal.workflow.getHandle(changeControlWorkflowId(id));
  }

  private context(user: UserWithRoles, client: ClientInfo): RequestContext {
    return { actorId: user.id, ...client };
  }

  /** A finished process refuses further actions with the step it ended in. */
  private async update(view: ChangeControlView, run: () => Promise<unknown>): Promise<void> {
    try {
      await this.run(run);
    } catch (error) {
      if (error instanceof AppError && error.code === 'not_found') {
        throw new AppError('step_not_allowed', `${view.number} is ${view.status}; no further action is allowed.`);
      }
      throw error;
    }
  }

  private async run<T>(run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (error) {
      throw fromTemporal(error) ?? (error instanceof WorkflowNotFoundError ? new AppError('not_found', 'Process not found.') : error);
    }
  }
}
