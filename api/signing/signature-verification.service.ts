import { Injectable } from '@nestjs/common';
import type { DatabaseHandle } from '../../db/client';
import {
  findKeyBySerial,
  findRecord,
  findSignature,
  findSignedRecordVersion,
  listSignaturesForRecord,
  toStoredSignature,
  type UserWithRoles,
} from '../../db/repositories';
import { describeVerification, verifyStoredSignature, type SignedRecordVersion } from '../../signatures/verify-signature';
import { AppError } from '../common/app-error';
import { InjectDatabase } from '../infrastructure';
import { OrganisationPkiService } from '../pki/organisation-pki.service';
import { assertMayRead } from '../records/record-access';

/**
 * Export and verification of one stored signature (`attestflow verify <id>` does the same from the
 * CLI). A signature shows its record (number, printed name, meaning, comment, manifest), so it is
 * read under the record's read rule and refused exactly as reading the record is (403 record_not_readable).
 */
@Injectable()
export class SignatureVerificationService {
  constructor(
    @InjectDatabase() private readonly database: DatabaseHandle,
    private readonly pki: OrganisationPkiService,
  ) {}

  async export(reader: UserWithRoles, id: string) {
    const row = await findSignature(this.database.db, id);
    if (!row) throw new AppError('not_found', `No signature with id ${id}.`);
    const record = await findRecord(this.database.db, row.recordId);
    // The foreign key keeps a signature's record; should it ever be missing, nobody reads the signature.
    if (!record) throw new AppError('not_found', `No signature with id ${id}.`);
    await assertMayRead(this.database.db, reader, record);
    const key = row.certificateSerial ? await findKeyBySerial(this.database.db, row.certificateSerial) : undefined;
    return { signature: toStoredSignature(row), certificatePem: key?.certificatePem ?? null, caCertificatePem: this.pki.ca.certificatePem };
  }

  async verify(reader: UserWithRoles, id: string) {
    const { signature } = await this.export(reader, id);
    const result = verifyStoredSignature({
      signature,
      recordVersion: await findSignedRecordVersion(this.database.db, signature.recordId, signature.recordVersion),
      caCertificatePem: this.pki.ca.certificatePem,
      revokedSerials: await this.pki.revokedSerials(),
    });
    return { ...result, verdict: describeVerification(signature, result) };
  }

  /**
   * Every signature of a record, oldest first, each verified as `verify` does (the record page
   * shows whether each one holds). Read under the record's read rule.
   */
  async verifyRecord(reader: UserWithRoles, recordId: string) {
    const record = await findRecord(this.database.db, recordId);
    if (!record) throw new AppError('not_found', `No record with id ${recordId}.`);
    await assertMayRead(this.database.db, reader, record);
    const [rows, revokedSerials] = await Promise.all([listSignaturesForRecord(this.database.db, recordId), this.pki.revokedSerials()]);
    const versions = new Map<string, Promise<SignedRecordVersion | undefined>>();
    const versionOf = (id: string, version: number) => {
      const key = `${id}/${version}`;
      if (!versions.has(key)) versions.set(key, findSignedRecordVersion(this.database.db, id, version));
      return versions.get(key)!;
    };
    return Promise.all(
      rows.map(async (row) => {
        const signature = toStoredSignature(row);
        const result = verifyStoredSignature({
          signature,
          recordVersion: await versionOf(signature.recordId, signature.recordVersion),
          caCertificatePem: this.pki.ca.certificatePem,
          revokedSerials,
        });
        return { signatureId: signature.id, ...result };
      }),
    );
  }
}
