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
import { AppError } from '../common/app-error';
import { fromTemporal } from '../common/app-exception.filter';
import type { ClientInfo } from '../common/request-context';
import { InjectConfig, InjectDatabase, InjectTemporal } from '../infrastructure';
import type { CreateChangeControlDto, RejectChangeControlDto, SignChangeControlDto } from './change-control.dto';
import { toChangeControlView, toSignatureView, type ChangeControlView, type SignatureView } from './change-control.view';

/** Reads come from PostgreSQL; every state change goes through a workflow Update. */
@Injectable()
export class ChangeControlService {
  constructor(
    @InjectDatabase() private readonly database: DatabaseHandle,
    @InjectTemporal() private readonly temporal: Client,
    @InjectConfig() private readonly config: AttestflowConfig,
    private readonly auth: AuthService,
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

  async get(id: string): Promise<ChangeControlView> {
    const record = await findRecord(this.db, id);
    if (!record || record.type !== CHANGE_CONTROL_TYPE) throw new AppError('not_found', `No change control with id ${id}.`);
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

  async sign(user: UserWithRoles, id: string, dto: SignChangeControlDto, client: ClientInfo): Promise<{ signature: SignatureView; record: ChangeControlView }> {
    const view = await this.get(id);
    await this.auth.reauthenticateForSignature(user, dto.password, { recordId: id, signatureId: dto.signatureId, action: 'sign' }, client);
    const replay = await this.existingSignature(dto.signatureId, user, id);
    if (!replay) {
      await this.update(view, () =>
        this.handle(id).executeUpdate(signUpdate, {
          updateId: dto.signatureId,
          args: [
            {
              signatureId: dto.signatureId,
              meaning: dto.meaning,
              comment: dto.comment ?? null,
              contentHash: dto.contentHash ?? null,
              context: this.context(user, client),
            },
          ],
        }),
      );
    }
    return { signature: toSignatureView((await findSignature(this.db, dto.signatureId))!), record: await this.get(id) };
  }

  async reject(
    user: UserWithRoles,
    id: string,
    dto: RejectChangeControlDto,
    client: ClientInfo,
  ): Promise<{ signature: SignatureView; record: ChangeControlView }> {
    const view = await this.get(id);
    await this.auth.reauthenticateForSignature(user, dto.password, { recordId: id, signatureId: dto.signatureId, action: 'reject' }, client);
    const replay = await this.existingSignature(dto.signatureId, user, id);
    if (!replay) {
      await this.update(view, () =>
        this.handle(id).executeUpdate(rejectUpdate, {
          updateId: dto.signatureId,
          args: [{ signatureId: dto.signatureId, reason: dto.reason, contentHash: dto.contentHash ?? null, context: this.context(user, client) }],
        }),
      );
    }
    return { signature: toSignatureView((await findSignature(this.db, dto.signatureId))!), record: await this.get(id) };
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
