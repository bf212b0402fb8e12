import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { setTimeout as sleep } from 'node:timers/promises';
import { isGrpcServiceError, ServiceError, WithStartWorkflowOperation, WorkflowNotFoundError, type Client, type WorkflowHandle } from '@temporalio/client';
import type { AttestflowConfig } from '../../config/config';
import type { DatabaseHandle } from '../../db/client';
import {
  findLatestVersion,
  findRecord,
  findRecordsByIds,
  findSignature,
  findVersion,
  linksOf,
  listOpenTasksForRecord,
  listSignatureInvalidations,
  listSignaturesForRecord,
  listTransitions,
  type UserWithRoles,
} from '../../db/repositories';
import type { RecordRow, SessionRow } from '../../db/schema';
import { processNoun } from '../../processes/labels';
import type { RequestContext } from '../../workflows/contracts/common';
import {
  actionRefusalQuery,
  amendUpdate,
  cancelUpdate,
  completeTaskUpdate,
  obsoleteUpdate,
  PROCESS_WORKFLOWS,
  processCreatedUpdate,
  processQuery,
  isProcessWorkflowId,
  processWorkflowId,
  rejectStepUpdate,
  signStepUpdate,
  submitStepUpdate,
  type ActorContext,
  type JsonContent,
  type ProcessActionName,
  type ProcessInput,
  type ProcessType,
  type ProcessView,
  type SignOffAnswer,
} from '../../workflows/contracts/process-contracts';
import { AppError, isErrorCode } from '../common/app-error';
import { fromTemporal } from '../common/app-exception.filter';
import type { ClientInfo } from '../common/request-context';
import { InjectConfig, InjectDatabase, InjectTemporal } from '../infrastructure';
import { assertMayRead } from '../records/record-access';
import { SignatureCeremonyService, type BegunCeremony } from '../signing/signature-ceremony.service';
import { toProcessRecordView, toSignatureView, type ProcessRecordView, type SignedRecordView } from './process-record.view';
import { settled, valueOf } from '../common/settled';
import { updateNotAccepted } from '../temporal/update-not-accepted';

export interface SignatureInput {
  signatureId: string;
  password: string;
  username?: string;
  recordVersion: number;
  contentHash: string;
  meaning?: string;
  comment?: string;
}

/**
 * How long an action waits for a worker to answer its Query (a worker restarting, say) before the
 * API answers 503. The Update that follows waits in Temporal on its own.
 */
const WORKER_WAIT_MS = 60_000;
/**
 * How long a read waits for the workflow to take in a step change already stored (normally a few
 * milliseconds: the activity's answer travelling back) before it answers with no actions on offer.
 */
const CATCH_UP_MS = 10_000;
/** gRPC codes of a Query that no worker answered: DEADLINE_EXCEEDED, FAILED_PRECONDITION ("no poller seen"), UNAVAILABLE. */
const NO_WORKER_CODES = [4, 9, 14];
const noWorkerAnswered = (error: unknown) => error instanceof ServiceError && isGrpcServiceError(error.cause) && NO_WORKER_CODES.includes(error.cause.code);

/**
 * Every process (change control, document revision, CAPA) through one service: reads come from
 * PostgreSQL and the live workflow Query; every state change is a workflow Update, whose validator
 * and handler apply the rules declared in workflows/. Nothing here restates a step's rules.
 */
@Injectable()
export class ProcessService {
  constructor(
    @InjectDatabase() private readonly database: DatabaseHandle,
    @InjectTemporal() private readonly temporal: Client,
    @InjectConfig() private readonly config: AttestflowConfig,
    private readonly ceremony: SignatureCeremonyService,
  ) {}

  private get db() {
    return this.database.db;
  }

  async start(type: ProcessType, user: UserWithRoles, content: JsonContent, client: ClientInfo, parent?: ProcessInput['parent']): Promise<ProcessRecordView> {
    const recordId = randomUUID();
    const input: ProcessInput = { recordId, content, context: this.context(user, client), timing: this.config.processTiming, ...(parent ? { parent } : {}) };
    const startWorkflowOperation = new WithStartWorkflowOperation(PROCESS_WORKFLOWS[type], {
      workflowId: processWorkflowId(recordId),
      taskQueue: this.config.temporalTaskQueue,
      args: [input],
      workflowIdConflictPolicy: 'FAIL',
    });
    await this.run(() => this.temporal.workflow.executeUpdateWithStart(processCreatedUpdate, { startWorkflowOperation }));
    return this.get(type, recordId, user);
  }

  /**
   * The record with the live process state; `waitForWorker` when an action depends on that state.
   * `known`: this record's row as read earlier in this request (its type and workflow never change):
   * the fresh row is then read beside everything else, rather than before it. Either way nothing is
   * returned before the fresh row says the reader may read it. `live`: the process state for this
   * reader as the workflow just answered it (an Update's answer), used instead of a Query while the
   * stored record is in the step it describes (the process may have moved on since: then the Query).
   */
  async get(
    type: ProcessType,
    id: string,
    reader: UserWithRoles,
    { waitForWorker = false, known, live }: { waitForWorker?: boolean; known?: RecordRow; live?: ProcessView } = {},
  ): Promise<ProcessRecordView> {
    const details = (workflowId: string) =>
      Promise.all([
        findLatestVersion(this.db, id),
        listTransitions(this.db, id),
        listSignaturesForRecord(this.db, id),
        listSignatureInvalidations(this.db, id),
        listOpenTasksForRecord(this.db, id),
        linksOf(this.db, id),
        live ?? this.live(workflowId, reader, waitForWorker),
      ]);
    const early = known?.id === id && known.type === type ? settled(details(known.workflowId)) : undefined;
    const record = await findRecord(this.db, id);
    if (!record || record.type !== type) throw new AppError('not_found', `No ${processNoun(type)} with id ${id}.`);
    await assertMayRead(this.db, reader, record);
    let [version, transitions, signatures, invalidations, openTasks, links, current] = early ? valueOf(await early) : await details(record.workflowId);
    // A step's transition is written (by an activity) a moment before the workflow has taken in that
    // it moved: meanwhile the stored step and the live one differ. Read both again until they agree,
    // so a view never pairs one step's status with another step's actions; past the wait, it offers none.
    const deadline = Date.now() + CATCH_UP_MS;
    for (let delay = 20; current && current.status !== (transitions.at(-1)?.toStatus ?? 'draft'); delay = Math.min(delay * 2, 500)) {
      if (Date.now() + delay > deadline) {
        current = null;
        break;
      }
      await sleep(delay);
      live = undefined;
      [version, transitions, signatures, invalidations, openTasks, links, current] = await details(record.workflowId);
    }
    const others = new Map(
      (
        await findRecordsByIds(
          this.db,
          links.map((l) => (l.fromRecordId === id ? l.toRecordId : l.fromRecordId)),
        )
      ).map((r) => [r.id, r]),
    );
    return toProcessRecordView({
      record,
      version: version!,
      transitions,
      signatures,
      invalidations,
      openTasks,
      links: links.map((l) => {
        const otherId = l.fromRecordId === id ? l.toRecordId : l.fromRecordId;
        const other = others.get(otherId);
        return {
          relation: l.relation,
          direction: l.fromRecordId === id ? 'to' : 'from',
          recordId: otherId,
          number: other?.number ?? '?',
          type: other?.type ?? '?',
        };
      }),
      live: current ? { allowedActions: current.allowedActions, quorum: current.quorum } : null,
    });
  }

  /** The live process state for this reader; unless waiting for it, null when it cannot be had (no worker, long closed). */
  private async live(workflowId: string, reader: UserWithRoles, waitForWorker: boolean): Promise<ProcessView | null> {
    if (!isProcessWorkflowId(workflowId)) return null;
    const query = () => this.temporal.workflow.getHandle(workflowId).query(processQuery, { userId: reader.id, roles: reader.roles });
    if (waitForWorker) return this.whenAWorkerAnswers(query);
    try {
      return await query();
    } catch {
      return null;
    }
  }

  /** A Query, retried while no worker answers it, for at most WORKER_WAIT_MS. */
  private whenAWorkerAnswers<T>(query: () => Promise<T>): Promise<T> {
    return retryingWhile(query, noWorkerAnswered, 'No Temporal worker is answering for this process; nothing was changed. Try again in a moment.');
  }

  async submit(type: ProcessType, user: UserWithRoles, id: string, content: JsonContent | undefined, client: ClientInfo): Promise<ProcessRecordView> {
    const handle = await this.handleFor(type, id, user, 'submit');
    const context = this.context(user, client);
    await this.update((updateId) => handle.executeUpdate(submitStepUpdate, { updateId, args: [{ ...(content ? { content } : {}), context }] }));
    return this.get(type, id, user);
  }

  /** The changed fields merged over the content of the version being amended. */
  async amend(type: ProcessType, user: UserWithRoles, id: string, body: { changes: JsonContent; reason: string; baseVersion: number }, client: ClientInfo) {
    const handle = await this.handleFor(type, id, user, 'amend');
    const base = await findVersion(this.db, id, body.baseVersion);
    if (!base) throw new AppError('stale_version', `Version ${body.baseVersion} does not exist.`);
    const content = { ...(base.content as JsonContent), ...body.changes };
    await this.update((updateId) =>
      handle.executeUpdate(amendUpdate, {
        updateId,
        args: [{ content, reason: body.reason, baseVersion: body.baseVersion, context: this.context(user, client) }],
      }),
    );
    return this.get(type, id, user);
  }

  async cancel(type: ProcessType, user: UserWithRoles, id: string, reason: string, client: ClientInfo) {
    const handle = await this.handleFor(type, id, user, 'cancel');
    await this.update((updateId) => handle.executeUpdate(cancelUpdate, { updateId, args: [{ reason, context: this.context(user, client) }] }));
    return this.get(type, id, user);
  }

  async obsolete(type: ProcessType, user: UserWithRoles, id: string, reason: string, client: ClientInfo) {
    const handle = await this.handleFor(type, id, user, 'obsolete');
    await this.update((updateId) => handle.executeUpdate(obsoleteUpdate, { updateId, args: [{ reason, context: this.context(user, client) }] }));
    return this.get(type, id, user);
  }

  async completeTask(type: ProcessType, user: UserWithRoles, id: string, taskId: string, note: string | null, client: ClientInfo) {
    const handle = await this.handleFor(type, id, user, 'complete_task', taskId);
    await this.update((updateId) => handle.executeUpdate(completeTaskUpdate, { updateId, args: [{ taskId, note, context: this.context(user, client) }] }));
    return this.get(type, id, user);
  }

  /**
   * A sign-off e-signature (or a refusal with a reason, itself e-signed): the workflow first says
   * whether the caller may sign this step at all, then the ceremony (re-authentication, the
   * signer's own CMS over the manifest), then the Update whose id is the signature id, so a
   * retried request cannot sign twice.
   */
  async sign(
    type: ProcessType,
    user: UserWithRoles,
    session: SessionRow,
    id: string,
    dto: SignatureInput,
    client: ClientInfo,
    reject: { reason: string } | null,
  ): Promise<SignedRecordView> {
    // The ceremony's two argon2id derivations (and the reads it decides on) start at once, beside
    // everything that decides whether it is held at all; it decides nothing until it is held, so a
    // refusal before it still counts no failed attempt, and its outcome is dropped with the request.
    const begun = this.ceremony.begin(user.id, dto.password, true);
    // The record is looked up beside the retry check; a retry's answer and its refusals come first.
    const [existing, target] = await Promise.all([this.existingSignature(dto, user, id), settled(this.workflowOf(type, id))]);
    if (existing) return this.signedView(type, dto.signatureId, id, user);
    try {
      if (!target.ok) throw target.error;
      return await this.signOnce(type, target.value, user, session, id, dto, client, reject, begun);
    } catch (error) {
      // A concurrent request with this signature id may have recorded it meanwhile (a client's
      // retry): the step then refuses a second signature, but this request's answer is that one.
      if (await this.existingSignature(dto, user, id)) return this.signedView(type, dto.signatureId, id, user);
      throw error;
    }
  }

  private async signOnce(
    type: ProcessType,
    { handle, record }: { handle: WorkflowHandle; record: RecordRow },
    user: UserWithRoles,
    session: SessionRow,
    id: string,
    dto: SignatureInput,
    client: ClientInfo,
    reject: { reason: string } | null,
    begun: BegunCeremony,
  ): Promise<SignedRecordView> {
    const action = reject ? 'reject' : 'sign';
    // One Query gives what the ceremony binds (number, step, version, content hash) and what the
    // workflow's rules offer this person now; only a refusal asks the workflow why.
    const viewer = { userId: user.id, roles: user.roles };
    // Read access is checked beside the Query, and decided after the workflow's own refusal, as before.
    const [view, readAccess] = await Promise.all([
      this.whenAWorkerAnswers(() => handle.query(processQuery, viewer)),
      assertMayRead(this.db, user, record).then(
        () => null,
        (error: unknown) => ({ error }),
      ),
    ]);
    // A sign-off may offer several outcomes to sign with: the meaning the signer chose picks one.
    const offers = view?.allowedActions.filter((a) => a.action === action) ?? [];
    const offered = offers.find((a) => !reject && a.meaning === dto.meaning) ?? offers[0];
    if (!view || !offered?.meaning) {
      const refusal = await this.whenAWorkerAnswers(() => handle.query(actionRefusalQuery, action, viewer, null));
      if (refusal) throw fromTemporalRefusal(refusal);
      throw new AppError('step_not_allowed', `${view?.number ?? 'This record'} cannot be signed now${view ? ` (step "${view.status}")` : ''}.`);
    }
    if (readAccess) throw readAccess.error;
    const signed = await this.ceremony.prepare(
      {
        user,
        session,
        signatureId: dto.signatureId,
        password: dto.password,
        username: dto.username,
        record: { id, number: view.number, version: dto.recordVersion, contentHash: dto.contentHash },
        step: view.status,
        meaning: reject ? offered.meaning : (dto.meaning ?? ''),
        allowedMeanings: [offered.meaning],
        comment: reject ? reject.reason : (dto.comment ?? null),
        client,
        requireAcknowledgement: true,
      },
      begun,
    );
    if (dto.recordVersion !== view.version || dto.contentHash !== view.contentHash) {
      throw new AppError(
        'stale_version',
        `${view.number} has changed since you opened it: version ${view.version} is current. Review it again before signing.`,
      );
    }
    const context = this.context(user, client);
    // The update id is the signature id: a retried request (or a resend below) cannot sign twice.
    const answer = await this.update(
      (updateId) =>
        reject
          ? handle.executeUpdate(rejectStepUpdate, { updateId, args: [{ signatureId: dto.signatureId, reason: reject.reason, signed, context }] })
          : handle.executeUpdate(signStepUpdate, { updateId, args: [{ signatureId: dto.signatureId, signed, context, outcome: offered.outcome }] }),
      dto.signatureId,
    );
    const [, signedView] = await Promise.all([
      this.ceremony.completed(session),
      this.signedView(type, dto.signatureId, id, user, { known: record, live: signerView(answer) }),
    ]);
    return signedView;
  }

  private async signedView(
    type: ProcessType,
    signatureId: string,
    recordId: string,
    reader: UserWithRoles,
    options: { known?: RecordRow; live?: ProcessView } = {},
  ): Promise<SignedRecordView> {
    const record = await this.get(type, recordId, reader, options);
    return { signature: record.signatures.find((s) => s.id === signatureId) ?? toSignatureView((await findSignature(this.db, signatureId))!), record };
  }

  /**
   * A repeated request with the same signature id returns the signature it made, and signs nothing
   * new; the id used for another record, signer or record version is a conflict.
   */
  private async existingSignature(dto: SignatureInput, user: UserWithRoles, recordId: string): Promise<boolean> {
    const existing = await findSignature(this.db, dto.signatureId);
    if (!existing) return false;
    const sameRequest =
      existing.signerId === user.id &&
      existing.recordId === recordId &&
      existing.recordVersion === dto.recordVersion &&
      existing.contentHash === dto.contentHash &&
      (dto.meaning === undefined || existing.meaning === dto.meaning);
    if (!sameRequest)
      throw new AppError('signature_id_conflict', 'This signature id is already used by another signature; nothing was signed. Choose a new id.');
    return true;
  }

  /** The record's workflow, after the workflow's own rules said the action is allowed for this user now. */
  private async handleFor(type: ProcessType, id: string, user: UserWithRoles, action: ProcessActionName, taskId?: string): Promise<WorkflowHandle> {
    const { handle } = await this.workflowOf(type, id);
    // No read check here: the workflow decides who may act (task owners may read what they act on).
    const refusal = await this.whenAWorkerAnswers(() => handle.query(actionRefusalQuery, action, { userId: user.id, roles: user.roles }, taskId ?? null));
    if (refusal) throw fromTemporalRefusal(refusal);
    return handle;
  }

  /** The workflow of a record of this type that this release runs. */
  private async workflowOf(type: ProcessType, id: string): Promise<{ handle: WorkflowHandle; record: RecordRow }> {
    const record = await findRecord(this.db, id);
    if (!record || record.type !== type) throw new AppError('not_found', `No ${processNoun(type)} with id ${id}.`);
    // A record of the retired 0.1 change-control workflow (docs/workflow-versioning.md) has no process to act on.
    if (!isProcessWorkflowId(record.workflowId)) {
      throw new AppError('step_not_allowed', `${record.number} ran on a workflow this release no longer runs; it can be read, not acted on.`);
    }
    return { handle: this.temporal.workflow.getHandle(record.workflowId), record };
  }

  private context(user: UserWithRoles, client: ClientInfo): ActorContext {
    const request: RequestContext = { actorId: user.id, ...client };
    return { ...request, actorRoles: [...user.roles] };
  }

  /**
   * An Update, sent again with the same update id while Temporal refuses it unaccepted because the
   * workflow task carrying it failed or timed out (a loaded or restarting worker): nothing of it
   * happened, so sending it again is safe. Refusals by the process's rules are answered at once.
   */
  private update<T>(send: (updateId: string) => Promise<T>, updateId: string = randomUUID()): Promise<T> {
    return retryingWhile(
      () => send(updateId),
      updateNotAccepted,
      'The process could not take this action now (its worker is overloaded or restarting); nothing was changed. Try again in a moment.',
    );
  }

  private async run<T>(run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (error) {
      throw translated(error);
    }
  }
}

/**
 * `attempt`, made again with backoff (200 ms doubling to 2 s) while `transient` says its failure
 * will pass, for at most WORKER_WAIT_MS; then 503 with `unavailable`. Any other failure is answered
 * as the API answers Temporal's.
 */
async function retryingWhile<T>(attempt: () => Promise<T>, transient: (error: unknown) => boolean, unavailable: string): Promise<T> {
  const deadline = Date.now() + WORKER_WAIT_MS;
  for (let delay = 200; ; delay = Math.min(delay * 2, 2_000)) {
    try {
      return await attempt();
    } catch (error) {
      if (!transient(error)) throw translated(error);
      if (Date.now() + delay > deadline) throw new AppError('service_unavailable', unavailable);
      await sleep(delay);
    }
  }
}

/** A Temporal error as the API answers it: the process's refusal, a missing process, or itself. */
function translated(error: unknown): unknown {
  return fromTemporal(error) ?? (error instanceof WorkflowNotFoundError ? new AppError('not_found', 'Process not found.') : error);
}

/** The signer's view in a sign-off Update's answer (processes begun under patch process-sign-off-answers-view); else undefined: ask the Query. */
function signerView(answer: SignOffAnswer): ProcessView | undefined {
  return 'allowedActions' in answer && 'quorum' in answer ? answer : undefined;
}

function fromTemporalRefusal(refusal: { code: string; message: string; step?: string }): AppError {
  return new AppError(isErrorCode(refusal.code) ? refusal.code : 'step_not_allowed', refusal.message, refusal.step ? { step: refusal.step } : undefined);
}
