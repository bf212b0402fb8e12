import { Body, Controller, Get, Param, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { UserWithRoles } from '../../db/repositories';
import { RequireRoles } from '../auth/auth.decorators';
import { ApiErrors } from '../common/api-errors';
import { Client, CurrentUser, type ClientInfo } from '../common/request-context';
import { uuidPipe } from '../common/uuid.pipe';
import { CreateItemDto } from './items.dto';
import { ItemsService } from './items.service';
import { ItemDetailView, ItemView } from './items.view';
import { MATERIAL_ROLES } from './material-roles';

/** The item master: part revisions, their class, unit of measure and bill of materials. */
@ApiTags('material')
@Controller('api/items')
export class ItemsController {
  constructor(private readonly items: ItemsService) {}

  @Post()
  @RequireRoles(...MATERIAL_ROLES.items)
  @ApiCreatedResponse({ type: ItemDetailView })
  @ApiErrors(400, 401, 403, 404, 409)
  create(@CurrentUser() user: UserWithRoles, @Body() body: CreateItemDto, @Client() client: ClientInfo) {
    return this.items.create(user, body, client);
  }

  @Get()
  @ApiOkResponse({ type: [ItemView] })
  @ApiErrors(401, 403)
  list() {
    return this.items.list();
  }

  @Get(':id')
  @ApiOkResponse({ type: ItemDetailView })
  @ApiErrors(400, 401, 403, 404)
  get(@Param('id', uuidPipe) id: string) {
    return this.items.get(id);
  }
}
