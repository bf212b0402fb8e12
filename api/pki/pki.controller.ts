import { Controller, Get, Header } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Public } from '../auth/auth.decorators';
import { OrganisationPkiService } from './organisation-pki.service';

/** What an auditor needs to verify signatures offline: the CA certificate and its revocation list. */
@ApiTags('pki')
@Controller('api/pki')
export class PkiController {
  constructor(private readonly pki: OrganisationPkiService) {}

  @Public()
  @Get('ca.pem')
  @Header('content-type', 'application/x-pem-file')
  caCertificate(): string {
    return this.pki.ca.certificatePem;
  }

  @Public()
  @Get('crl.pem')
  @Header('content-type', 'application/x-pem-file')
  revocationList(): Promise<string> {
    return this.pki.crlPem();
  }
}
