import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Body, Controller, Get, Headers, Param, Post, Query, Req, Res } from '@nestjs/common';
import { ApiBody, ApiConsumes, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import type { UserWithRoles } from '../../db/repositories';
import { RequireRoles } from '../auth/auth.decorators';
import { Client, CurrentUser, type ClientInfo } from '../common/request-context';
import { ApiErrors } from '../common/api-errors';
import { ApiFileResponse } from '../common/api-file-response';
import { LIST_PAGE_PAGING, ListPageQuery, listPageOf } from '../common/list-page.dto';
import { DocumentDetailView, DocumentFileView, DocumentView } from './documents.view';
import { DocumentFileQuery, RegisterDocumentDto, UploadDocumentFileQuery } from './documents.dto';
import { DOCUMENT_MEDIA_TYPES, DocumentsService } from './documents.service';

/** The document register, document files and the issued revisions every signed-in person reads. */
@ApiTags('documents')
@Controller('api/documents')
@ApiErrors(401, 403)
export class DocumentsController {
  constructor(private readonly documents: DocumentsService) {}

  @Post()
  @ApiCreatedResponse({ type: DocumentView })
  @ApiErrors(400, 409, 413, 415, 422)
  @RequireRoles('document_controller')
  register(@CurrentUser() user: UserWithRoles, @Body() body: RegisterDocumentDto, @Client() client: ClientInfo) {
    return this.documents.register(user, body, client);
  }

  /** The register by number; `q` looks in the number and the title. */
  @Get()
  @ApiOperation({ summary: 'The document register by number, searched and paged', description: LIST_PAGE_PAGING })
  @ApiOkResponse({ type: [DocumentView] })
  @ApiErrors(400)
  list(@Query() query: ListPageQuery) {
    return this.documents.list(listPageOf(query));
  }

  /** A file for a revision's content: the bytes are the body; the answer names them by SHA-256. */
  @Post('files')
  @ApiCreatedResponse({ type: DocumentFileView, description: 'Stored (or already stored: the same file by its SHA-256)' })
  @ApiErrors(400, 413, 415)
  @RequireRoles('document_controller')
  @ApiConsumes(...DOCUMENT_MEDIA_TYPES)
  @ApiBody({ schema: { type: 'string', format: 'binary' }, description: 'The file itself, at most UPLOAD_LIMIT bytes (default 500 MiB; larger: 413).' })
  upload(
    @CurrentUser() user: UserWithRoles,
    @Query() query: UploadDocumentFileQuery,
    @Req() request: Request,
    @Headers('content-type') contentType: string | undefined,
    @Client() client: ClientInfo,
  ) {
    return this.documents.upload(user, request, contentType, query.fileName, client);
  }

  /** The document with its revisions (status in_process until the revision is issued; a draft only to those who may read its record). */
  @Get(':number')
  @ApiOkResponse({ type: DocumentDetailView })
  @ApiErrors(400, 404)
  get(@CurrentUser() user: UserWithRoles, @Param('number') number: string) {
    return this.documents.get(user, number);
  }

  /** The effective revision's file, or the named revision's with ?revision=N. */
  @Get(':number/file')
  @ApiFileResponse("The revision's file, in the media type it was uploaded as", ...DOCUMENT_MEDIA_TYPES)
  @ApiErrors(400, 404)
  async file(@CurrentUser() user: UserWithRoles, @Param('number') number: string, @Query() query: DocumentFileQuery, @Res() response: Response) {
    const file = await this.documents.download(user, number, query.revision);
    response.attachment(file.fileName);
    response.set({ 'content-type': file.mediaType, 'content-length': String(file.size), 'x-content-sha256': file.sha256 });
    await pipeline(Readable.from(file.bytes), response);
  }
}
