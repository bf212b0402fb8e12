import { Controller, Get, Header } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Public } from '../auth/auth.decorators';
import { OrganisationPkiService } from './organisation-pki.service';

/** What an auditor needs to verify signatures offline: the CA certificate and its revocation list. */
@ApiTags('pki')
@Controller('api/pki')
export class PkiController {
  constructor(private readonly pki: OrganisationPkiService) {}

  @Public()
  @Get('ca.pem')
  @ApiOkResponse({ description: 'The organisation CA certificate (PEM)', content: { 'application/x-pem-file': { schema: { type: 'string' } } } })
  @Header('content-type', 'application/x-pem-file')
  caCertificate(): string {
    return this.pki.ca.certificatePem;
  }

  @Public()
  @Get('crl.pem')
  @ApiOkResponse({ description: 'The certificate revocation list (PEM)', content: { 'application/x-pem-file': { schema: { type: 'string' } } } })
  @Header('content-type', 'application/x-pem-file')
  revocationList(): Promise<string> {
    return this.pki.crlPem();
  }
}
