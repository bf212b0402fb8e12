import { Injectable } from '@nestjs/common';
import type { DatabaseHandle } from '../../db/client';
import { findKeyBySerial, findSignature, findSignedRecordVersion, toStoredSignature } from '../../db/repositories';
import { describeVerification, verifyStoredSignature } from '../../signatures/verify-signature';
import { AppError } from '../common/app-error';
import { InjectDatabase } from '../infrastructure';
import { OrganisationPkiService } from '../pki/organisation-pki.service';

/** Export and verification of one stored signature (`attestflow verify <id>` does the same from the CLI). */
@Injectable()
export class SignatureVerificationService {
  constructor(
    @InjectDatabase() private readonly database: DatabaseHandle,
    private readonly pki: OrganisationPkiService,
  ) {}

  async export(id: string) {
    const row = await findSignature(this.database.db, id);
    if (!row) throw new AppError('not_found', `No signature with id ${id}.`);
    const key = row.certificateSerial ? await findKeyBySerial(this.database.db, row.certificateSerial) : undefined;
    return { signature: toStoredSignature(row), certificatePem: key?.certificatePem ?? null, caCertificatePem: this.pki.ca.certificatePem };
  }

  async verify(id: string) {
    const { signature } = await this.export(id);
    const result = verifyStoredSignature({
      signature,
      recordVersion: await findSignedRecordVersion(this.database.db, signature.recordId, signature.recordVersion),
      caCertificatePem: this.pki.ca.certificatePem,
      revokedSerials: await this.pki.revokedSerials(),
    });
    return { ...result, verdict: describeVerification(signature, result) };
  }
}
