import { Controller, HttpCode, Post, Req } from '@nestjs/common';
import { ApiBody, ApiConsumes, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { describePdfVerification, verifyControlledPdf } from '../../signatures/verify-controlled-pdf';
import { AppError } from '../common/app-error';
import { ApiErrors } from '../common/api-errors';
import { PdfVerificationView } from './records.view';
import { PDF_MEDIA_TYPES } from '../common/upload-routes';
import { OrganisationPkiService } from '../pki/organisation-pki.service';

/**
 * The same check as `attestflow verify <file.pdf>`, for auditors who upload a PDF they were given.
 * Unlike document uploads the PDF is parsed in memory, so its body is read whole, capped by its own
 * PDF_VERIFICATION_LIMIT (api/create-app.ts); larger PDFs are checked with the CLI.
 */
@ApiTags('verification')
@Controller('api/verify')
export class PdfVerificationController {
  constructor(private readonly pki: OrganisationPkiService) {}

  @Post('pdf')
  @ApiOkResponse({ type: PdfVerificationView })
  @ApiErrors(400, 401, 403, 413, 415)
  @HttpCode(200)
  @ApiConsumes(...PDF_MEDIA_TYPES)
  @ApiBody({ schema: { type: 'string', format: 'binary' }, description: 'The PDF, at most PDF_VERIFICATION_LIMIT bytes (default 50 MiB; larger: 413).' })
  async verify(@Req() request: Request) {
    const body = request.body as unknown;
    if (!Buffer.isBuffer(body) || body.length < 8 || body.subarray(0, 5).toString('latin1') !== '%PDF-') {
      throw new AppError('pdf_unreadable', 'Send the PDF itself as the request body with content-type application/pdf.');
    }
    let result;
    try {
      result = verifyControlledPdf(body, { caCertificatePem: this.pki.ca.certificatePem, revokedSerials: await this.pki.revokedSerials() });
    } catch (error) {
      throw new AppError('pdf_unreadable', `The PDF could not be read: ${(error as Error).message}`);
    }
    return { ...result, verdict: describePdfVerification('uploaded.pdf', result) };
  }
}
