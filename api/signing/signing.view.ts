import { ApiProperty } from '@nestjs/swagger';
import { VERIFICATION_CHECK_CODES, type VerificationCheckCode } from '../../signatures/verify-signature';

const dateTime = { type: String, format: 'date-time' } as const;
const sha256 = { pattern: '^[0-9a-f]{64}$' } as const;

/** What the signer's CMS signs (11.70): the record version's content hash with the manifestation. */
export class SignatureManifestView {
  @ApiProperty({ enum: [1] }) v!: 1;
  @ApiProperty({ format: 'uuid' }) signatureId!: string;
  @ApiProperty({ format: 'uuid' }) recordId!: string;
  @ApiProperty() recordNumber!: string;
  @ApiProperty() recordVersion!: number;
  @ApiProperty(sha256) contentHash!: string;
  @ApiProperty({ format: 'uuid' }) signerId!: string;
  @ApiProperty() printedName!: string;
  @ApiProperty() meaning!: string;
  @ApiProperty({ type: String, nullable: true }) comment!: string | null;
  @ApiProperty(dateTime) signedAt!: string;
  @ApiProperty() step!: string;
}

export class StoredSignatureView {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ format: 'uuid' }) recordId!: string;
  @ApiProperty() recordVersion!: number;
  @ApiProperty(sha256) contentHash!: string;
  @ApiProperty({ format: 'uuid' }) signerId!: string;
  @ApiProperty() printedName!: string;
  @ApiProperty() meaning!: string;
  @ApiProperty(dateTime) signedAt!: string;
  @ApiProperty({ type: SignatureManifestView, nullable: true }) manifest!: SignatureManifestView | null;
  @ApiProperty({ type: String, nullable: true, description: "The signer's detached CMS over the manifest (base64 DER)" }) cms!: string | null;
}

/** Everything to verify a signature offline. */
export class SignatureExportView {
  @ApiProperty({ type: StoredSignatureView }) signature!: StoredSignatureView;
  @ApiProperty({ type: String, nullable: true }) certificatePem!: string | null;
  @ApiProperty() caCertificatePem!: string;
}

export class VerificationCheckView {
  @ApiProperty({
    enum: VERIFICATION_CHECK_CODES,
    description:
      'What the check establishes: signature_present (a manifest and CMS at all), cms (by the signer\u2019s certificate, chained to the organisation CA, valid and not revoked at the signing time), manifest (what was signed equals the stored signature), record_version (the signed version exists), content_hash (bound to that version\u2019s content now)',
  })
  code!: VerificationCheckCode;
  @ApiProperty() check!: string;
  @ApiProperty() ok!: boolean;
  @ApiProperty() detail!: string;
}

export class SignatureVerificationView {
  @ApiProperty() valid!: boolean;
  @ApiProperty({ type: [VerificationCheckView] }) checks!: VerificationCheckView[];
  @ApiProperty({ description: 'The checks and the verdict as text' }) verdict!: string;
}

/** One signature of a record with its verification (11.70), as the record page shows it. */
export class RecordSignatureVerificationView {
  @ApiProperty({ format: 'uuid' }) signatureId!: string;
  @ApiProperty({ description: 'Every check passed' }) valid!: boolean;
  @ApiProperty({ type: [VerificationCheckView] }) checks!: VerificationCheckView[];
}

export class PolicyAcknowledgementView {
  @ApiProperty({ format: 'uuid', description: 'The signature id of the acknowledgement' }) id!: string;
  @ApiProperty() policyVersion!: string;
  @ApiProperty(dateTime) signedAt!: string;
  @ApiProperty() certificateSerial!: string;
}

export class EsignaturePolicyView {
  @ApiProperty() version!: string;
  @ApiProperty() title!: string;
  @ApiProperty() text!: string;
  @ApiProperty({ ...sha256, description: 'SHA-256 of the canonical policy; the acknowledgement signs it' }) hash!: string;
  @ApiProperty({ type: PolicyAcknowledgementView, nullable: true, description: "The reader's acknowledgement, or null" })
  acknowledgement!: PolicyAcknowledgementView | null;
}
