import { Injectable } from '@nestjs/common';
import type { DatabaseHandle } from '../../db/client';
import { listRecordSummaries, type RecordListFilter, type UserWithRoles } from '../../db/repositories';
import { AppError } from '../common/app-error';
import { InjectDatabase } from '../infrastructure';
import { decodeRecordCursor, encodeRecordCursor } from './record-cursor';
import { COMPLETE_NUMBER, DAY, RECORD_PAGE_DEFAULT, type RecordListQuery } from './record-list.dto';
import { toRecordSummaryView, type RecordListView } from './record-list.view';
import { readScopeOf } from './record-access';

const DAY_MS = 86_400_000;

const refuse = (problem: string) => new AppError('validation_failed', `The request is not valid: ${problem}.`, { problems: [problem] });

/** The filters of a validated query: a whole day for a date, exact or prefix for a number. */
function filterOf(query: RecordListQuery): RecordListFilter {
  const filter: RecordListFilter = { type: query.type, status: query.status, text: query.q, authorUsername: query.author };
  if (query.number !== undefined) {
    if (COMPLETE_NUMBER.test(query.number)) filter.number = query.number;
    else filter.numberPrefix = query.number;
  }
  if (query.createdFrom !== undefined) filter.createdFrom = new Date(DAY.test(query.createdFrom) ? `${query.createdFrom}T00:00:00Z` : query.createdFrom);
  if (query.createdTo !== undefined) {
    if (DAY.test(query.createdTo)) filter.createdBefore = new Date(Date.parse(`${query.createdTo}T00:00:00Z`) + DAY_MS);
    else filter.createdTo = new Date(query.createdTo);
  }
  const from = filter.createdFrom?.getTime();
  if (from !== undefined && filter.createdTo && from > filter.createdTo.getTime()) throw refuse('createdFrom must not be after createdTo');
  if (from !== undefined && filter.createdBefore && from >= filter.createdBefore.getTime()) throw refuse('createdFrom must not be after createdTo');
  return filter;
}

/** Record lists and search (GET /api/records, GET /api/<process>): what the reader may read, newest first, a page at a time. */
@Injectable()
export class RecordListService {
  constructor(@InjectDatabase() private readonly database: DatabaseHandle) {}

  async list(user: UserWithRoles, query: RecordListQuery): Promise<RecordListView> {
    const filter = filterOf(query);
    const limit = query.limit ?? RECORD_PAGE_DEFAULT;
    const after = query.cursor === undefined ? undefined : decodeRecordCursor(query.cursor);
    // One more than the page tells whether another page follows.
    const { items, total } = await listRecordSummaries(this.database.db, filter, readScopeOf(user), { limit: limit + 1, after });
    const page = items.slice(0, limit);
    const last = page.at(-1);
    return {
      items: page.map(toRecordSummaryView),
      total,
      nextCursor: items.length > limit && last ? encodeRecordCursor({ createdAt: last.createdAt, id: last.id }) : null,
    };
  }
}
