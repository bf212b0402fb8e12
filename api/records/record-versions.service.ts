import { Injectable } from '@nestjs/common';
import type { DatabaseHandle } from '../../db/client';
import {
  findLatestVersion,
  findRecord,
  findUsersByIds,
  findVersion,
  listVersionSummaries,
  type RecordVersionSummary,
  type UserWithRoles,
} from '../../db/repositories';
import { AppError } from '../common/app-error';
import { InjectDatabase } from '../infrastructure';
import { contentChanges, type JsonValue } from './content-changes';
import { assertMayRead } from './record-access';
import type { RecordVersionChangesView, RecordVersionSummaryView } from './record-versions.view';

/**
 * Reads over a record's versions (immutable: an amendment adds one, nothing is changed in place),
 * under the record's own read rule: whoever may read the record reads its versions, nobody else.
 */
@Injectable()
export class RecordVersionsService {
  constructor(@InjectDatabase() private readonly database: DatabaseHandle) {}

  private get db() {
    return this.database.db;
  }

  /** What changed from version `from` to version `to` (the newest when not given). */
  async changes(user: UserWithRoles, id: string, from: number, to?: number): Promise<RecordVersionChangesView> {
    const record = await findRecord(this.db, id);
    if (!record) throw new AppError('not_found', `No record with id ${id}.`);
    await assertMayRead(this.db, user, record);
    const [base, target] = await Promise.all([
      findVersion(this.db, id, from),
      to === undefined ? findLatestVersion(this.db, id) : findVersion(this.db, id, to),
    ]);
    if (!base) throw new AppError('unknown_version', `${record.number} has no version ${from}.`, { version: from });
    if (!target) throw new AppError('unknown_version', `${record.number} has no version ${to}.`, { version: to });
    const amendments = await listVersionSummaries(this.db, id, base.version, target.version);
    const names = new Map(
      (await findUsersByIds(this.db, [...new Set([base, target, ...amendments].map((v) => v.createdBy))])).map((u) => [u.id, u.printedName]),
    );
    const summary = (v: RecordVersionSummary): RecordVersionSummaryView => ({
      version: v.version,
      contentHash: v.contentHash,
      createdAt: v.createdAt.toISOString(),
      createdBy: v.createdBy,
      createdByName: names.get(v.createdBy) ?? v.createdBy,
      reason: v.reason,
    });
    return {
      recordId: record.id,
      number: record.number,
      from: summary(base),
      to: summary(target),
      amendments: amendments.map(summary),
      changes: contentChanges(base.content as JsonValue, target.content as JsonValue),
    };
  }
}
