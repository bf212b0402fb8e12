import { randomUUID } from 'node:crypto';
import { Injectable, type OnModuleDestroy } from '@nestjs/common';
import type { Queue } from 'bullmq';
import type Redis from 'ioredis';
import { dossierQueue, enqueueDossier, type DossierJob } from '../../activities/dossier-queue';
import { pdfGeneratorStatus } from '../../activities/pdf-generator-heartbeat';
import type { AttestflowConfig } from '../../config/config';
import type { DatabaseHandle } from '../../db/client';
import { findLotsByNumber, TRACE_DIRECTIONS, TRACE_LIMITS, traceLot } from '../../db/material';
import {
  appendAuditEvent,
  countRecordsByTypeAndDate,
  findArtifact,
  findDossier,
  findRecord,
  findRecordsByIds,
  findRecordsByNumbers,
  findRecordsByTypeAndDate,
  insertDossier,
  linkedClosure,
  listDossiers,
  type ListPage,
  type UserWithRoles,
} from '../../db/repositories';
import type { DossierRow, RecordRow } from '../../db/schema';
import { AppError } from '../common/app-error';
import type { ClientInfo } from '../common/request-context';
import { InjectConfig, InjectDatabase, InjectRedis } from '../infrastructure';
import { refusalsAsAppErrors } from '../material/material-error';
import { assertMayRead } from '../records/record-access';
import type { CreateDossierDto, DossierSelectionDto } from './dossier.dto';

export interface DossierView {
  id: string;
  title: string;
  status: DossierRow['status'];
  progress: { done: number; total: number; description: string };
  failureReason: string | null;
  recordNumbers: string[];
  artifact: { sha256: string; size: number; download: string } | null;
}

export interface DossierListItem {
  id: string;
  title: string;
  status: DossierRow['status'];
  requestedAt: string;
  /** The printed name of the person who requested it. */
  requestedBy: string;
  records: number;
  progress: { done: number; total: number };
  sha256: string | null;
}

/** Auditors, QA and administrators read every dossier; anyone else the dossiers they requested. */
const readsEveryDossier = (user: UserWithRoles) => user.roles.some((r) => ['auditor', 'qa', 'administrator'].includes(r));

/** Auditors' dossiers: selection resolved and checked here, rendering on the BullMQ PDF generator. */
@Injectable()
export class DossiersService implements OnModuleDestroy {
  private readonly queue: Queue<DossierJob>;

  constructor(
    @InjectDatabase() private readonly database: DatabaseHandle,
    @InjectConfig() private readonly config: AttestflowConfig,
    @InjectRedis() private readonly redis: Redis,
  ) {
    this.queue = dossierQueue(config.redisUrl, config.queuePrefix);
    this.queue.on('error', () => undefined);
  }

  async onModuleDestroy(): Promise<void> {
    await this.queue.close();
  }

  private async resolve(selection: DossierSelectionDto): Promise<RecordRow[]> {
    const ways = [selection.numbers, selection.recordAndLinked, selection.type, selection.lot].filter((w) => w !== undefined).length;
    if (ways !== 1) throw new AppError('validation_failed', 'Choose records in exactly one way: numbers, recordAndLinked, type with from/to, or lot.');
    const max = this.config.dossierMaxRecords;
    const db = this.database.db;
    if (selection.item !== undefined && selection.lot === undefined) throw new AppError('validation_failed', '`item` chooses among lots: give it with `lot`.');
    if (selection.lot !== undefined) return this.recordsOnLot(selection.lot, selection.item, max);
    if (selection.numbers) {
      const unique = [...new Set(selection.numbers)];
      if (!unique.length) throw new AppError('empty_selection', 'The selection names no records.');
      if (unique.length > max) throw new AppError('dossier_too_large', `A dossier holds at most ${max} records; the selection has ${unique.length}.`);
      const found = await findRecordsByNumbers(db, unique);
      const missing = unique.filter((n) => !found.some((r) => r.number === n));
      if (missing.length) throw new AppError('unknown_record', `No record numbered ${missing.join(', ')}.`);
      return found.sort((a, b) => a.number.localeCompare(b.number));
    }
    if (selection.recordAndLinked) {
      const [root] = await findRecordsByNumbers(db, [selection.recordAndLinked]);
      if (!root) throw new AppError('unknown_record', `No record numbered ${selection.recordAndLinked}.`);
      const ids = await linkedClosure(db, root.id, max + 1);
      if (ids.length > max) throw new AppError('dossier_too_large', `${root.number} and its linked records are more than ${max} records.`);
      return findRecordsByIds(db, ids);
    }
    if (!selection.from || !selection.to) throw new AppError('validation_failed', 'A selection by type needs from and to dates.');
    const from = new Date(selection.from);
    const to = new Date(selection.to);
    const count = await countRecordsByTypeAndDate(db, selection.type!, from, to);
    if (count === 0) throw new AppError('empty_selection', `No ${selection.type} records were created between ${selection.from} and ${selection.to}.`);
    if (count > max) throw new AppError('dossier_too_large', `A dossier holds at most ${max} records; the selection has ${count}.`);
    return findRecordsByTypeAndDate(db, selection.type!, from, to, max);
  }

  /**
   * The records that changed the status of the lot or of any lot in its genealogy, both ways (what
   * went into it, where it went), each once, by number: the records each trace names on its lots.
   */
  private async recordsOnLot(lotNumber: string, partNumber: string | undefined, max: number): Promise<RecordRow[]> {
    const found = await findLotsByNumber(this.database.db, lotNumber, partNumber);
    const named = partNumber === undefined ? `lot ${lotNumber}` : `lot ${lotNumber} of ${partNumber}`;
    if (!found.length) throw new AppError('unknown_lot', `No ${named}.`);
    if (found.length > 1) {
      const items = found.map((f) => f.item.partNumber).join(', ');
      throw new AppError('ambiguous_lot', `Lot number ${lotNumber} exists for ${found.length} items (${items}): name the item's part number too.`, {
        partNumbers: found.map((f) => f.item.partNumber),
      });
    }
    const lotId = found[0]!.lot.id;
    const traces = await refusalsAsAppErrors(() =>
      Promise.all(TRACE_DIRECTIONS.map((direction) => traceLot(this.database, { lotId, direction, maxDepth: TRACE_LIMITS.defaultDepth }))),
    );
    const ids = new Set(traces.flatMap((trace) => trace?.lots.flatMap((l) => l.records.map((r) => r.id)) ?? []));
    if (!ids.size) throw new AppError('empty_selection', `No record changed the status of ${named} or of a lot in its genealogy.`);
    if (ids.size > max) throw new AppError('dossier_too_large', `A dossier holds at most ${max} records; ${named} and its genealogy have ${ids.size}.`);
    return (await findRecordsByIds(this.database.db, [...ids])).sort((a, b) => a.number.localeCompare(b.number));
  }

  async request(user: UserWithRoles, dto: CreateDossierDto, client: ClientInfo): Promise<DossierView> {
    const selected = await this.resolve(dto.selection);
    // The same read rule as the record's own endpoints (a person given a task by name reads that record too).
    for (const record of selected) await assertMayRead(this.database.db, user, record);
    const id = randomUUID();
    const at = new Date();
    await this.database.db.transaction(async (tx) => {
      await insertDossier(tx, {
        id,
        title: dto.title,
        selection: { ...dto.selection },
        recordIds: selected.map((r) => r.id),
        requestedBy: user.id,
        requestedAt: at,
        status: 'queued',
        progressTotal: selected.length,
        updatedAt: at,
      });
      await appendAuditEvent(tx, {
        occurredAt: at,
        actorId: user.id,
        actorName: user.printedName,
        action: 'dossier.requested',
        entityType: 'dossier',
        entityId: id,
        newValue: { title: dto.title, selection: { ...dto.selection } as never, records: selected.map((r) => r.number) },
        ...client,
      });
    });
    // If Redis is down now, the render worker re-queues the dossier from the database when it starts.
    await enqueueDossier(this.queue, id).catch(() => undefined);
    return this.view(user, id);
  }

  /** The dossiers this person may read, newest first: all of them for auditors, QA and administrators, else their own. */
  async list(user: UserWithRoles, page: ListPage): Promise<DossierListItem[]> {
    const entries = await listDossiers(this.database.db, readsEveryDossier(user) ? {} : { requestedBy: user.id }, page);
    return entries.map(({ dossier, requestedByName, sha256 }) => ({
      id: dossier.id,
      title: dossier.title,
      status: dossier.status,
      requestedAt: dossier.requestedAt.toISOString(),
      requestedBy: requestedByName,
      records: dossier.recordIds.length,
      progress: { done: dossier.progressDone, total: dossier.progressTotal },
      sha256,
    }));
  }

  async view(user: UserWithRoles, id: string): Promise<DossierView> {
    const dossier = await findDossier(this.database.db, id);
    if (!dossier || (dossier.requestedBy !== user.id && !readsEveryDossier(user))) {
      throw new AppError('not_found', `No dossier with id ${id}.`);
    }
    const records = await findRecordsByIds(this.database.db, dossier.recordIds);
    const artifact = dossier.artifactId ? await findArtifact(this.database.db, dossier.artifactId) : undefined;
    const description = (await this.waitingForGenerator(dossier.status))
      ? 'waiting for the PDF generator (none is running; the dossier is rendered when one starts)'
      : dossier.status === 'rendering'
        ? `rendering ${dossier.progressDone} of ${dossier.progressTotal}`
        : dossier.status === 'failed'
          ? `failed: ${dossier.failureReason ?? 'unknown reason'}`
          : dossier.status;
    return {
      id,
      title: dossier.title,
      status: dossier.status,
      progress: { done: dossier.progressDone, total: dossier.progressTotal, description },
      failureReason: dossier.failureReason,
      recordNumbers: records.map((r) => r.number),
      artifact: artifact ? { sha256: artifact.sha256, size: artifact.size, download: `/api/dossiers/${id}/pdf` } : null,
    };
  }

  /** An unfinished dossier while no PDF generator beats (see pdf-generator-heartbeat.ts) is waiting, not rendering. */
  private async waitingForGenerator(status: DossierRow['status']): Promise<boolean> {
    if (status !== 'queued' && status !== 'rendering') return false;
    const generator = await pdfGeneratorStatus(this.redis, this.config.queuePrefix).catch(() => undefined);
    return generator !== undefined && !generator.ok;
  }

  async pdf(user: UserWithRoles, id: string): Promise<{ fileName: string; bytes: Buffer; sha256: string }> {
    const view = await this.view(user, id);
    if (view.status !== 'done') throw new AppError('step_not_allowed', `The dossier is ${view.progress.description}; download it when it is done.`);
    const dossier = (await findDossier(this.database.db, id))!;
    const artifact = (await findArtifact(this.database.db, dossier.artifactId!))!;
    return { fileName: artifact.fileName, bytes: artifact.bytes, sha256: artifact.sha256 };
  }

  async recordPdf(user: UserWithRoles, recordId: string) {
    const record = await findRecord(this.database.db, recordId);
    if (!record) throw new AppError('not_found', `No record with id ${recordId}.`);
    await assertMayRead(this.database.db, user, record);
    return record;
  }
}
