import { Controller, Get, Param } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { UserWithRoles } from '../../db/repositories';
import { CurrentUser } from '../common/request-context';
import { uuidPipe } from '../common/uuid.pipe';
import { ApiErrors } from '../common/api-errors';
import { RecordSignatureVerificationView, SignatureExportView, SignatureVerificationView } from './signing.view';
import { SignatureVerificationService } from './signature-verification.service';

/** A signature is read by those who may read its record (api/records/record-access.ts). */
@ApiTags('signatures')
@Controller('api/signatures')
@ApiErrors(400, 401, 403, 404)
export class SignaturesController {
  constructor(private readonly signatures: SignatureVerificationService) {}

  /** The signature with its manifest, CMS, signer certificate and the CA: everything to verify it offline. */
  @Get(':id')
  @ApiOkResponse({ type: SignatureExportView })
  export(@CurrentUser() user: UserWithRoles, @Param('id', uuidPipe) id: string) {
    return this.signatures.export(user, id);
  }

  /** Server-side verification with a readable verdict. */
  @Get(':id/verification')
  @ApiOkResponse({ type: SignatureVerificationView })
  verify(@CurrentUser() user: UserWithRoles, @Param('id', uuidPipe) id: string) {
    return this.signatures.verify(user, id);
  }
}

/** The signatures of one record, each verified: read by those who may read the record. */
@ApiTags('signatures')
@Controller('api/records')
@ApiErrors(400, 401, 403, 404)
export class RecordSignaturesController {
  constructor(private readonly signatures: SignatureVerificationService) {}

  /**
   * Every signature of the record, oldest first, with whether it verifies (11.70): its CMS by the
   * signer's certificate, chained to the organisation CA and not revoked at the signing time; the
   * signed manifest equal to the stored signature; bound to the content hash of the record version it signs.
   */
  @Get(':id/signature-verifications')
  @ApiOkResponse({ type: [RecordSignatureVerificationView] })
  verifyRecord(@CurrentUser() user: UserWithRoles, @Param('id', uuidPipe) id: string) {
    return this.signatures.verifyRecord(user, id);
  }
}
