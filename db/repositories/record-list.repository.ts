import { and, desc, eq, exists, gte, inArray, lt, lte, or, sql, type SQL } from 'drizzle-orm';
import type { Executor } from '../client';
import { records, recordTransitions, recordVersions, tasks, users } from '../schema';
import { containing, likeLiteral } from './list-page';

/** Which records a reader sees in a list: all of them, or those the read rule (api/records/record-access.ts) allows one person. */
export type RecordReadScope = { everything: true } | { everything: false; userId: string; roles: readonly string[] };

/** What a list narrows to; every field is optional and they combine with AND. */
export interface RecordListFilter {
  type?: string;
  /** The status: the record's latest transition. */
  status?: string;
  /** The exact number. */
  number?: string;
  /** A number prefix (CC-2026 lists 2026's change controls). */
  numberPrefix?: string;
  /** Text in the number or in the latest version's title, case-insensitive. */
  text?: string;
  /** Created at or after. */
  createdFrom?: Date;
  /** Created at or before (`createdBefore`: strictly before). */
  createdTo?: Date;
  createdBefore?: Date;
  authorUsername?: string;
}

/** Where a page starts: after this record in the order (createdAt desc, id desc). */
export interface RecordListPosition {
  createdAt: Date;
  id: string;
}

export interface RecordSummary {
  id: string;
  type: string;
  number: string;
  title: string | null;
  status: string;
  version: number | null;
  authorId: string;
  authorUsername: string;
  authorName: string;
  createdAt: Date;
  /** The latest version's or transition's time, whichever is later. */
  updatedAt: Date;
}

function readableBy(scope: RecordReadScope): SQL | undefined {
  if (scope.everything) return undefined;
  // A person reads what they authored, and a record that ever addressed a task to them or to one of their roles.
  const addressed = scope.roles.length
    ? or(eq(tasks.assigneeUserId, scope.userId), inArray(tasks.assigneeRole, [...scope.roles]))
    : eq(tasks.assigneeUserId, scope.userId);
  return or(eq(records.createdBy, scope.userId), exists(sql`(SELECT 1 FROM ${tasks} WHERE ${tasks.recordId} = ${records.id} AND ${addressed})`));
}

/**
 * Records with their latest version and status, newest first (createdAt desc, id desc), `limit` at a
 * time after `after`, with the number of all that match. The read scope is applied in SQL, so a page
 * is full even when the reader may not read every record.
 */
export async function listRecordSummaries(
  db: Executor,
  filter: RecordListFilter,
  scope: RecordReadScope,
  page: { limit: number; after?: RecordListPosition },
): Promise<{ items: RecordSummary[]; total: number }> {
  const latestVersion = db
    .select({
      version: recordVersions.version,
      title: sql<string | null>`${recordVersions.content} ->> 'title'`.as('latest_title'),
      versionAt: sql<Date>`${recordVersions.createdAt}`.mapWith(recordVersions.createdAt).as('latest_version_at'),
    })
    .from(recordVersions)
    .where(eq(recordVersions.recordId, records.id))
    .orderBy(desc(recordVersions.version))
    .limit(1)
    .as('latest_version');
  const latestTransition = db
    .select({
      status: sql<string>`${recordTransitions.toStatus}`.as('latest_status'),
      transitionAt: sql<Date>`${recordTransitions.occurredAt}`.mapWith(recordTransitions.occurredAt).as('latest_transition_at'),
    })
    .from(recordTransitions)
    .where(eq(recordTransitions.recordId, records.id))
    .orderBy(desc(recordTransitions.seq))
    .limit(1)
    .as('latest_transition');
  const status = sql<string>`coalesce(${latestTransition.status}, 'draft')`;

  const conditions: (SQL | undefined)[] = [readableBy(scope)];
  if (filter.type !== undefined) conditions.push(eq(records.type, filter.type));
  if (filter.status !== undefined) conditions.push(sql`${status} = ${filter.status}`);
  if (filter.number !== undefined) conditions.push(eq(records.number, filter.number));
  if (filter.numberPrefix !== undefined) conditions.push(sql`${records.number} LIKE ${`${likeLiteral(filter.numberPrefix)}%`}`);
  if (filter.text !== undefined) {
    const pattern = containing(filter.text);
    // The title is the latest version's; the IN narrows by the trigram index over every version's title first.
    const titleMatches = and(
      sql`${records.id} IN (SELECT ${recordVersions.recordId} FROM ${recordVersions} WHERE ${recordVersions.content} ->> 'title' ILIKE ${pattern})`,
      sql`${latestVersion.title} ILIKE ${pattern}`,
    );
    conditions.push(or(sql`${records.number} ILIKE ${pattern}`, titleMatches));
  }
  if (filter.createdFrom !== undefined) conditions.push(gte(records.createdAt, filter.createdFrom));
  if (filter.createdTo !== undefined) conditions.push(lte(records.createdAt, filter.createdTo));
  if (filter.createdBefore !== undefined) conditions.push(lt(records.createdAt, filter.createdBefore));
  if (filter.authorUsername !== undefined) conditions.push(eq(users.username, filter.authorUsername));
  const where = and(...conditions);

  const after = page.after
    ? sql`(${records.createdAt}, ${records.id}) < (${page.after.createdAt.toISOString()}::timestamptz, ${page.after.id}::uuid)`
    : undefined;
  const [rows, [counted]] = await Promise.all([
    db
      .select({
        id: records.id,
        type: records.type,
        number: records.number,
        title: latestVersion.title,
        status,
        version: latestVersion.version,
        authorId: records.createdBy,
        authorUsername: users.username,
        authorName: users.printedName,
        createdAt: records.createdAt,
        updatedAt: sql<Date>`greatest(${records.createdAt}, ${latestVersion.versionAt}, ${latestTransition.transitionAt})`.mapWith(records.createdAt),
      })
      .from(records)
      .innerJoin(users, eq(users.id, records.createdBy))
      .leftJoinLateral(latestVersion, sql`true`)
      .leftJoinLateral(latestTransition, sql`true`)
      .where(and(where, after))
      .orderBy(desc(records.createdAt), desc(records.id))
      .limit(page.limit),
    db
      .select({ total: sql<number>`count(*)::int` })
      .from(records)
      .innerJoin(users, eq(users.id, records.createdBy))
      .leftJoinLateral(latestVersion, sql`true`)
      .leftJoinLateral(latestTransition, sql`true`)
      .where(where),
  ]);
  return { items: rows, total: counted?.total ?? 0 };
}
