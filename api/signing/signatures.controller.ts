import { Controller, Get, Param } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { UserWithRoles } from '../../db/repositories';
import { CurrentUser } from '../common/request-context';
import { uuidPipe } from '../common/uuid.pipe';
import { SignatureVerificationService } from './signature-verification.service';

/** A signature is read by those who may read its record (api/records/record-access.ts). */
@ApiTags('signatures')
@Controller('api/signatures')
export class SignaturesController {
  constructor(private readonly signatures: SignatureVerificationService) {}

  /** The signature with its manifest, CMS, signer certificate and the CA: everything to verify it offline. */
  @Get(':id')
  export(@CurrentUser() user: UserWithRoles, @Param('id', uuidPipe) id: string) {
    return this.signatures.export(user, id);
  }

  /** Server-side verification with a readable verdict. */
  @Get(':id/verification')
  verify(@CurrentUser() user: UserWithRoles, @Param('id', uuidPipe) id: string) {
    return this.signatures.verify(user, id);
  }
}
