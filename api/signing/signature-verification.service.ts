import { Injectable } from '@nestjs/common';
import type { DatabaseHandle } from '../../db/client';
import { findKeyBySerial, findRecord, findSignature, findVersion } from '../../db/repositories';
import type { SignatureManifest } from '../../signatures/pki';
import { describeVerification, verifyStoredSignature, type StoredSignature } from '../../signatures/verify-signature';
import { AppError } from '../common/app-error';
import { InjectDatabase } from '../infrastructure';
import { OrganisationPkiService } from '../pki/organisation-pki.service';

/** Export and verification of one stored signature (also used by `attestflow verify`). */
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
    const stored: StoredSignature = {
      id: row.id,
      recordId: row.recordId,
      recordVersion: row.recordVersion,
      contentHash: row.contentHash,
      signerId: row.signerId,
      printedName: row.printedName,
      meaning: row.meaning,
      signedAt: row.signedAt.toISOString(),
      manifest: (row.manifest as SignatureManifest | null) ?? null,
      cms: row.cms,
    };
    return { signature: stored, certificatePem: key?.certificatePem ?? null, caCertificatePem: this.pki.ca.certificatePem };
  }

  async verify(id: string) {
    const { signature } = await this.export(id);
    const [record, version] = await Promise.all([
      findRecord(this.database.db, signature.recordId),
      findVersion(this.database.db, signature.recordId, signature.recordVersion),
    ]);
    const result = verifyStoredSignature({
      signature,
      recordVersion: version && record ? { recordId: record.id, number: record.number, version: version.version, content: version.content } : undefined,
      caCertificatePem: this.pki.ca.certificatePem,
      revokedSerials: await this.pki.revokedSerials(),
    });
    return { ...result, verdict: describeVerification(signature, result) };
  }
}
