import { Controller, Get, Param } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { uuidPipe } from '../common/uuid.pipe';
import { SignatureVerificationService } from './signature-verification.service';

@ApiTags('signatures')
@Controller('api/signatures')
export class SignaturesController {
  constructor(private readonly signatures: SignatureVerificationService) {}

  /** The signature with its manifest, CMS, signer certificate and the CA: everything to verify it offline. */
  @Get(':id')
  export(@Param('id', uuidPipe) id: string) {
    return this.signatures.export(id);
  }

  /** Server-side verification with a readable verdict. */
  @Get(':id/verification')
  verify(@Param('id', uuidPipe) id: string) {
    return this.signatures.verify(id);
  }
}
