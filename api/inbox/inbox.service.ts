import { Injectable } from '@nestjs/common';
import type { DatabaseHandle } from '../../db/client';
import { countInbox, listInbox, type InboxFilter, type UserWithRoles } from '../../db/repositories';
import { InjectDatabase } from '../infrastructure';
import { INBOX_PAGE_DEFAULT, type InboxQuery } from './inbox.dto';
import type { InboxPageView } from './inbox.view';

/** The inbox (GET /api/inbox): the reader's open tasks, filtered and ordered in SQL, a page and the total. */
@Injectable()
export class InboxService {
  constructor(@InjectDatabase() private readonly database: DatabaseHandle) {}

  async page(user: UserWithRoles, query: InboxQuery, now: Date): Promise<InboxPageView> {
    const filter: InboxFilter = { recordType: query.type, dueBefore: query.overdue === 'true' ? now : undefined };
    const order = { sort: query.sort ?? 'opened', direction: query.direction ?? 'asc' } as const;
    const page = { limit: query.limit ?? INBOX_PAGE_DEFAULT, offset: query.offset ?? 0 };
    const db = this.database.db;
    const [items, total] = await Promise.all([listInbox(db, user.id, user.roles, { filter, order, page }), countInbox(db, user.id, user.roles, filter)]);
    return {
      items: items.map((entry) => ({ ...entry, openedAt: entry.openedAt.toISOString(), dueAt: entry.dueAt?.toISOString() ?? null })),
      total,
      ...page,
      ...order,
    };
  }
}
