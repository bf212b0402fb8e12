import { Controller, Get, Param } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { DatabaseHandle } from '../../db/client';
import { findRecord, listAuditEventsForRecord } from '../../db/repositories';
import { AppError } from '../common/app-error';
import { InjectDatabase } from '../infrastructure';
import { uuidPipe } from '../common/uuid.pipe';

@ApiTags('records')
@Controller('api/records')
export class RecordsController {
  constructor(@InjectDatabase() private readonly database: DatabaseHandle) {}

  /** The record's audit trail, oldest first, each event with its place in the hash chain. */
  @Get(':id/audit')
  async audit(@Param('id', uuidPipe) id: string) {
    if (!(await findRecord(this.database.db, id))) throw new AppError('not_found', `No record with id ${id}.`);
    const events = await listAuditEventsForRecord(this.database.db, id);
    return events.map((e) => ({ ...e, occurredAt: e.occurredAt.toISOString() }));
  }
}
