import { Body, Controller, Get, Param, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { UserWithRoles } from '../../db/repositories';
import { RequireRoles } from '../auth/auth.decorators';
import { ApiErrors } from '../common/api-errors';
import { Client, CurrentUser, type ClientInfo } from '../common/request-context';
import { uuidPipe } from '../common/uuid.pipe';
import { MATERIAL_ROLES } from './material-roles';
import { CreateProductionRecordDto } from './production-records.dto';
import { ProductionRecordsService } from './production-records.service';
import { ProductionRecordView } from './production-records.view';

/** Production records: a run consumes released lots (on the output item's bill of materials) and produces a lot. */
@ApiTags('material')
@Controller('api/production-records')
export class ProductionRecordsController {
  constructor(private readonly production: ProductionRecordsService) {}

  @Post()
  @RequireRoles(...MATERIAL_ROLES.production)
  @ApiCreatedResponse({ type: ProductionRecordView })
  @ApiErrors(400, 401, 403, 404, 409, 422)
  create(@CurrentUser() user: UserWithRoles, @Body() body: CreateProductionRecordDto, @Client() client: ClientInfo) {
    return this.production.create(user, body, client);
  }

  @Get(':id')
  @ApiOkResponse({ type: ProductionRecordView })
  @ApiErrors(400, 401, 403, 404)
  get(@Param('id', uuidPipe) id: string) {
    return this.production.get(id);
  }
}
