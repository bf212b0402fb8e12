import { Body, Controller, Get, Param, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { UserWithRoles } from '../../db/repositories';
import { RequireRoles } from '../auth/auth.decorators';
import { ApiErrors } from '../common/api-errors';
import { Client, CurrentUser, type ClientInfo } from '../common/request-context';
import { uuidPipe } from '../common/uuid.pipe';
import { ListLotsQuery, LotStatusEventDto, ReceiveLotDto } from './lots.dto';
import { LotsService } from './lots.service';
import { LotDetailView, LotView } from './lots.view';
import { MATERIAL_ROLES } from './material-roles';

/** Lots: received from suppliers or produced, each with its status ledger. */
@ApiTags('material')
@Controller('api/lots')
export class LotsController {
  constructor(private readonly lots: LotsService) {}

  /** Receives a lot from a supplier; it starts in quarantine. */
  @Post()
  @RequireRoles(...MATERIAL_ROLES.receiving)
  @ApiCreatedResponse({ type: LotDetailView })
  @ApiErrors(400, 401, 403, 404, 409, 422)
  receive(@CurrentUser() user: UserWithRoles, @Body() body: ReceiveLotDto, @Client() client: ClientInfo) {
    return this.lots.receive(user, body, client);
  }

  /** Lots by part number and lot number: searched by text in either (a lot picker), filtered by item and status, paged (limit, offset). */
  @Get()
  @ApiOkResponse({ type: [LotView] })
  @ApiErrors(400, 401, 403)
  list(@Query() query: ListLotsQuery) {
    return this.lots.list(query);
  }

  @Get(':id')
  @ApiOkResponse({ type: LotDetailView })
  @ApiErrors(400, 401, 403, 404)
  get(@Param('id', uuidPipe) id: string) {
    return this.lots.get(id);
  }

  /** Appends a status event (release, hold, reject, scrap, back to quarantine), refused where the rule table forbids the move. */
  @Post(':id/status-events')
  @RequireRoles(...MATERIAL_ROLES.lotStatus)
  @ApiCreatedResponse({ type: LotDetailView })
  @ApiErrors(400, 401, 403, 404, 409)
  changeStatus(@CurrentUser() user: UserWithRoles, @Param('id', uuidPipe) id: string, @Body() body: LotStatusEventDto, @Client() client: ClientInfo) {
    return this.lots.changeStatus(user, id, body, client);
  }
}
