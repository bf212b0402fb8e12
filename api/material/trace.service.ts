import { Injectable } from '@nestjs/common';
import type { DatabaseHandle } from '../../db/client';
import { TRACE_LIMITS, traceLot, type TraceDirection } from '../../db/material';
import { AppError } from '../common/app-error';
import { InjectDatabase } from '../infrastructure';
import { refusalsAsAppErrors } from './material-error';
import { toTraceView, type TraceView } from './trace.view';

@Injectable()
export class TraceService {
  constructor(@InjectDatabase() private readonly database: DatabaseHandle) {}

  trace(lotId: string, direction: TraceDirection, maxDepth: number = TRACE_LIMITS.defaultDepth): Promise<TraceView> {
    return refusalsAsAppErrors(async () => {
      const trace = await traceLot(this.database, { lotId, direction, maxDepth });
      if (!trace) throw new AppError('unknown_lot', `No lot with id ${lotId}.`);
      return toTraceView(trace);
    });
  }
}
