import { sign as nodeSign } from 'node:crypto';
import forge from 'node-forge';
import {
  assertKeyMatchesCertificate,
  attributeText,
  certificateNames,
  OID,
  randomSerialHex,
  UTF8_TAG,
  type OrganisationCa,
  type RandomBytes,
} from './x509-support';

export interface CertificateSpec {
  subject: forge.pki.CertificateField[];
  publicKey: forge.pki.rsa.PublicKey;
  notBefore: Date;
  notAfter: Date;
  extensions: object[];
  randomBytes?: RandomBytes;
}

/** forge's own (untyped) TBSCertificate builder; cert.sign would use it too. */
const getTbsCertificate = (forge.pki as unknown as { getTBSCertificate(cert: forge.pki.Certificate): forge.asn1.Asn1 }).getTBSCertificate;

/**
 * Signs with SHA-256/RSA using Node's crypto (native, much faster than forge's JavaScript RSA).
 * `issuerName`, when given, replaces the issuer Name node before signing.
 */
function sign(cert: forge.pki.Certificate, privateKeyPem: string, issuerName?: forge.asn1.Asn1): void {
  cert.signatureOid = cert.siginfo.algorithmOid = OID.sha256WithRSAEncryption;
  const tbs = getTbsCertificate(cert);
  if (issuerName) (tbs.value as forge.asn1.Asn1[])[3] = issuerName;
  cert.tbsCertificate = tbs;
  cert.signature = nodeSign('sha256', Buffer.from(forge.asn1.toDer(tbs).getBytes(), 'binary'), privateKeyPem).toString('binary');
}

function base(spec: CertificateSpec): forge.pki.Certificate {
  if (!(spec.notBefore < spec.notAfter)) throw new RangeError('notAfter must be after notBefore');
  const cert = forge.pki.createCertificate();
  cert.publicKey = spec.publicKey;
  cert.serialNumber = randomSerialHex(spec.randomBytes);
  cert.validity.notBefore = spec.notBefore;
  cert.validity.notAfter = spec.notAfter;
  cert.setSubject(spec.subject);
  return cert;
}

/** A self-signed certificate (subject = issuer), SHA-256 with RSA. */
export function buildSelfSigned(spec: CertificateSpec, privateKeyPem: string): forge.pki.Certificate {
  const cert = base(spec);
  cert.setIssuer(spec.subject);
  cert.setExtensions([...spec.extensions, { name: 'subjectKeyIdentifier' }]);
  sign(cert, privateKeyPem);
  return cert;
}

/** The CA's key identifier: its subjectKeyIdentifier extension, else the RFC 5280 method (1) hash. */
export function caKeyIdentifierBytes(caCert: forge.pki.Certificate): string {
  const ski = caCert.getExtension('subjectKeyIdentifier') as { subjectKeyIdentifier?: string } | null;
  return ski?.subjectKeyIdentifier ? forge.util.hexToBytes(ski.subjectKeyIdentifier) : caCert.generateSubjectKeyIdentifier().getBytes();
}

/**
 * A certificate issued by the CA. The validity is cut to the CA's own validity, and refused when the
 * CA is not yet (or no longer) valid at notBefore.
 */
export function buildIssued(ca: OrganisationCa, spec: CertificateSpec): forge.pki.Certificate {
  assertKeyMatchesCertificate(ca.certificatePem, ca.privateKeyPem, 'CA');
  const caCert = forge.pki.certificateFromPem(ca.certificatePem);
  if (spec.notBefore < caCert.validity.notBefore || spec.notBefore >= caCert.validity.notAfter) {
    throw new RangeError('the CA certificate is not valid at the requested notBefore');
  }
  const notAfter = spec.notAfter > caCert.validity.notAfter ? caCert.validity.notAfter : spec.notAfter;
  const cert = base({ ...spec, notAfter });
  cert.setIssuer(caCert.subject.attributes.map((a) => (a.valueTagClass === UTF8_TAG ? { ...a, value: attributeText(a) } : a)));
  cert.setExtensions([...spec.extensions, { name: 'subjectKeyIdentifier' }, { name: 'authorityKeyIdentifier', keyIdentifier: caKeyIdentifierBytes(caCert) }]);
  // The issuer must equal the CA's subject byte for byte: copy its encoding rather than re-encode it.
  sign(cert, ca.privateKeyPem, certificateNames(caCert).subject);
  return cert;
}

/** The organisation name (O) of the CA's subject. */
export function caOrganisationName(ca: OrganisationCa): string | undefined {
  const caCert = forge.pki.certificateFromPem(ca.certificatePem);
  return attributeText((caCert.subject.getField('O') as forge.pki.CertificateField | null) ?? undefined);
}
