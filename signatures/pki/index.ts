export { createOrganisationCa, createSealingCertificate, type CreateOrganisationCaOptions, type CreateSealingCertificateOptions } from './organisation-ca';
export { generateUserKeyPair, issueUserCertificate, type IssuedUserCertificate, type IssueUserCertificateOptions } from './user-certificate';
export { openPrivateKey, resealPrivateKey, sealPrivateKey, WrongKeyPasswordError, type EncryptedKey } from './private-key-vault';
export { manifestBytes, manifestSignedAt, type SignatureManifest } from './signature-manifest';
export {
  signDetachedCms,
  signManifestCms,
  verifyDetachedCms,
  verifyManifestCms,
  type CmsVerification,
  type RevokedSerial,
  type SignDetachedCmsOptions,
  type SignerCertificateInfo,
  type SignManifestCmsOptions,
  type VerifyDetachedCmsOptions,
  type VerifyManifestCmsOptions,
} from './cms';
export { createCrl, type CreateCrlOptions, type RevokedCertificate } from './crl';
export { normaliseSerialHex, type CertificateAndKey, type OrganisationCa, type RandomBytes } from './x509-support';
