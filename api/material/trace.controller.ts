import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { ApiErrors } from '../common/api-errors';
import { uuidPipe } from '../common/uuid.pipe';
import { TraceQuery } from './lots.dto';
import { TraceService } from './trace.service';
import { TraceView } from './trace.view';

/** Genealogy traces: everything that went into a lot (backward), everywhere it went (forward). */
@ApiTags('material')
@Controller('api/lots')
export class TraceController {
  constructor(private readonly traces: TraceService) {}

  /** Bounded in depth (maxDepth) and time: a trace that runs too long is refused with 422 trace_too_large. */
  @Get(':id/trace')
  @ApiOkResponse({ type: TraceView })
  @ApiErrors(400, 401, 403, 404, 422)
  trace(@Param('id', uuidPipe) id: string, @Query() query: TraceQuery) {
    return this.traces.trace(id, query.direction ?? 'backward', query.maxDepth);
  }
}
