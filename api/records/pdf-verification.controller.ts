import { Controller, HttpCode, Post, Req } from '@nestjs/common';
import { ApiBody, ApiConsumes, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { describePdfVerification, verifyControlledPdf } from '../../signatures/verify-controlled-pdf';
import { AppError } from '../common/app-error';
import { OrganisationPkiService } from '../pki/organisation-pki.service';

/** The same check as `attestflow verify <file.pdf>`, for auditors who upload a PDF they were given. */
@ApiTags('verification')
@Controller('api/verify')
export class PdfVerificationController {
  constructor(private readonly pki: OrganisationPkiService) {}

  @Post('pdf')
  @HttpCode(200)
  @ApiConsumes('application/pdf')
  @ApiBody({ schema: { type: 'string', format: 'binary' } })
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
