import { Body, Controller, Get, Param, Post, Res } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import type { UserWithRoles } from '../../db/repositories';
import { Client, CurrentUser, type ClientInfo } from '../common/request-context';
import { uuidPipe } from '../common/uuid.pipe';
import { ApiErrors } from '../common/api-errors';
import { ApiFileResponse } from '../common/api-file-response';
import { DossierStatusView } from './dossier.view';
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
