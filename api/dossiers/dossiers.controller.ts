import { Body, Controller, Get, Param, Post, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import type { UserWithRoles } from '../../db/repositories';
import { Client, CurrentUser, type ClientInfo } from '../common/request-context';
import { uuidPipe } from '../common/uuid.pipe';
import { CreateDossierDto } from './dossier.dto';
import { DossiersService } from './dossiers.service';

@ApiTags('dossiers')
@Controller('api/dossiers')
export class DossiersController {
  constructor(private readonly dossiers: DossiersService) {}

  /** Request a sealed dossier of the selected records; rendered by the PDF generator. */
  @Post()
  request(@CurrentUser() user: UserWithRoles, @Body() body: CreateDossierDto, @Client() client: ClientInfo) {
    return this.dossiers.request(user, body, client);
  }

  /** queued / rendering n of m / done / failed with reason. */
  @Get(':id')
  view(@CurrentUser() user: UserWithRoles, @Param('id', uuidPipe) id: string) {
    return this.dossiers.view(user, id);
  }

  @Get(':id/pdf')
  async pdf(@CurrentUser() user: UserWithRoles, @Param('id', uuidPipe) id: string, @Res() response: Response) {
    const file = await this.dossiers.pdf(user, id);
    response.set({ 'content-type': 'application/pdf', 'content-disposition': `attachment; filename="${file.fileName}"`, 'x-content-sha256': file.sha256 });
    response.send(file.bytes);
  }
}
