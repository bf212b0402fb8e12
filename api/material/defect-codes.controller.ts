import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { ApiErrors } from '../common/api-errors';
import { ListDefectCodesQuery } from './defect-codes.dto';
import { DefectCodesService } from './defect-codes.service';
import { DefectCodeView } from './defect-codes.view';

/** The managed list of defect codes an NCMR names, for every signed-in person. */
@ApiTags('material')
@Controller('api/defect-codes')
export class DefectCodesController {
  constructor(private readonly codes: DefectCodesService) {}

  /** The active codes by code; `?includeRetired=true` adds the retired ones (to read old records). */
  @Get()
  @ApiOkResponse({ type: [DefectCodeView] })
  @ApiErrors(400, 401, 403)
  list(@Query() query: ListDefectCodesQuery) {
    return this.codes.list(query.includeRetired === 'true');
  }
}
