import { Controller, Get, Param, Query, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import type { DatabaseHandle } from '../../db/client';
import { findRecord, latestRecordArtifact, listAuditEventsForRecord, type UserWithRoles } from '../../db/repositories';
import { AppError } from '../common/app-error';
import { CurrentUser } from '../common/request-context';
import { uuidPipe } from '../common/uuid.pipe';
import { ApiErrors } from '../common/api-errors';
import { ApiFileResponse } from '../common/api-file-response';
import { AuditEventView } from './records.view';
import { InjectDatabase } from '../infrastructure';
import { assertMayRead } from './record-access';
import { RECORD_LIST_PAGING, RecordListQuery } from './record-list.dto';
import { RecordListService } from './record-list.service';
import { RecordListView } from './record-list.view';
import { MAX_VERSION, VersionChangesQuery, versionPipe } from './record-versions.dto';
import { RecordVersionsService } from './record-versions.service';
import { RecordVersionChangesView } from './record-versions.view';

@ApiTags('records')
@Controller('api/records')
@ApiErrors(400, 401, 403, 404)
export class RecordsController {
  constructor(
    @InjectDatabase() private readonly database: DatabaseHandle,
    private readonly lists: RecordListService,
    private readonly versions: RecordVersionsService,
  ) {}

  private async readable(user: UserWithRoles, id: string) {
    const record = await findRecord(this.database.db, id);
    if (!record) throw new AppError('not_found', `No record with id ${id}.`);
    await assertMayRead(this.database.db, user, record);
    return record;
  }

  /**
   * Records of every process, newest first (createdAt, then id, descending), filtered by type,
   * status, number, text, creation date and author; only those the reader may read (auditors and the
   * read-all roles: all). Paged by cursor: pass the answer's nextCursor as `cursor` for the next
   * page; records created meanwhile do not shift the pages (they are newer than any cursor).
   */
  @Get()
  @ApiOperation({ summary: 'Records of every process, filtered and paged', description: RECORD_LIST_PAGING })
  @ApiOkResponse({ type: RecordListView })
  list(@CurrentUser() user: UserWithRoles, @Query() query: RecordListQuery) {
    return this.lists.list(user, query);
  }

  /** The record's audit trail, oldest first, each event with its place in the hash chain. */
  @Get(':id/audit')
  @ApiOkResponse({ type: [AuditEventView] })
  async audit(@CurrentUser() user: UserWithRoles, @Param('id', uuidPipe) id: string) {
    await this.readable(user, id);
    const events = await listAuditEventsForRecord(this.database.db, id);
    return events.map((e) => ({ ...e, occurredAt: e.occurredAt.toISOString() }));
  }

  /**
   * What changed in the content from version `from` to version `to` (the newest without it): each
   * differing field with its value before and after, and the versions made in between with their
   * reasons. Read as the record is read; an unknown version is 404 unknown_version.
   */
  @Get(':id/versions/:from/changes')
  @ApiOperation({ summary: "What changed in a record's content between two versions" })
  @ApiParam({ name: 'from', schema: { type: 'integer', minimum: 1, maximum: MAX_VERSION }, description: 'The version the changes are counted from' })
  @ApiOkResponse({ type: RecordVersionChangesView })
  changes(
    @CurrentUser() user: UserWithRoles,
    @Param('id', uuidPipe) id: string,
    @Param('from', versionPipe) from: number,
    @Query() query: VersionChangesQuery,
  ): Promise<RecordVersionChangesView> {
    return this.versions.changes(user, id, from, query.to);
  }

  /** The newest sealed controlled-record PDF (made at closure; a regeneration is a new file). */
  @Get(':id/pdf')
  @ApiFileResponse('The sealed controlled-record PDF (PAdES)', 'application/pdf')
  async pdf(@CurrentUser() user: UserWithRoles, @Param('id', uuidPipe) id: string, @Res() response: Response) {
    const record = await this.readable(user, id);
    const artifact = await latestRecordArtifact(this.database.db, id);
    if (!artifact) throw new AppError('not_found', `${record.number} has no controlled-record PDF yet; it is produced when the process closes.`);
    response.set({
      'content-type': 'application/pdf',
      'content-disposition': `attachment; filename="${artifact.fileName}"`,
      'x-content-sha256': artifact.sha256,
    });
    response.send(artifact.bytes);
  }
}
