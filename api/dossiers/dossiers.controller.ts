import { Body, Controller, Get, Param, Post, Query, Res } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import type { UserWithRoles } from '../../db/repositories';
import { Client, CurrentUser, type ClientInfo } from '../common/request-context';
import { uuidPipe } from '../common/uuid.pipe';
import { ApiErrors } from '../common/api-errors';
import { ApiFileResponse } from '../common/api-file-response';
import { ListPageQuery, listPageOf } from '../common/list-page.dto';
import { DossierListItemView, DossierStatusView } from './dossier.view';
import { CreateDossierDto } from './dossier.dto';
import { DossiersService } from './dossiers.service';

@ApiTags('dossiers')
@Controller('api/dossiers')
@ApiErrors(400, 401, 403)
export class DossiersController {
  constructor(private readonly dossiers: DossiersService) {}

  /** Request a sealed dossier of the selected records; rendered by the PDF generator. */
  @Post()
  @ApiCreatedResponse({ type: DossierStatusView })
  @ApiErrors(404, 413, 415, 422)
  request(@CurrentUser() user: UserWithRoles, @Body() body: CreateDossierDto, @Client() client: ClientInfo) {
    return this.dossiers.request(user, body, client);
  }

  /** The dossiers the person may read (all for auditors, QA and administrators; else their own), newest first. */
  @Get()
  @ApiOperation({
    summary: 'Dossiers, newest first, searched by title and paged',
    description:
      'Auditors, QA and administrators see every dossier, anyone else the dossiers they requested. Newest first (then by id); offset paging: ' +
      '`limit` entries from `offset`. Without `limit`, every entry from `offset` on. A dossier requested meanwhile shifts later pages by one.',
  })
  @ApiOkResponse({ type: [DossierListItemView] })
  list(@CurrentUser() user: UserWithRoles, @Query() query: ListPageQuery) {
    return this.dossiers.list(user, listPageOf(query));
  }

  /** queued / rendering n of m / done / failed with reason. */
  @Get(':id')
  @ApiOkResponse({ type: DossierStatusView })
  @ApiErrors(404)
  view(@CurrentUser() user: UserWithRoles, @Param('id', uuidPipe) id: string) {
    return this.dossiers.view(user, id);
  }

  @Get(':id/pdf')
  @ApiFileResponse('The sealed dossier PDF', 'application/pdf')
  @ApiErrors(404, 409)
  async pdf(@CurrentUser() user: UserWithRoles, @Param('id', uuidPipe) id: string, @Res() response: Response) {
    const file = await this.dossiers.pdf(user, id);
    response.set({ 'content-type': 'application/pdf', 'content-disposition': `attachment; filename="${file.fileName}"`, 'x-content-sha256': file.sha256 });
    response.send(file.bytes);
  }
}
