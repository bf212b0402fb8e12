import fs from 'node:fs';
import path from 'node:path';
import { ConfigError, type AttestflowConfig } from './config';
import { createOrganisationCa, createSealingCertificate, type CertificateAndKey } from '../signatures/pki';

export interface OrganisationCa {
  certificatePem: string;
  privateKeyPem: string;
  /** Where it came from, for the start-up log. */
  source: 'created' | 'data-dir' | 'configured';
  directory: string;
}

/**
 * The organisation CA: given by configuration (SIGNING_CA_CERT_FILE / SIGNING_CA_KEY_FILE), or read
 * from DATA_DIR/pki, or created there on first start (key file mode 0600).
 */
export function loadOrCreateOrganisationCa(config: AttestflowConfig, now: Date = new Date()): OrganisationCa {
  const directory = path.join(config.dataDir, 'pki');
  if (config.signingCaCertFile && config.signingCaKeyFile) {
    return {
      certificatePem: fs.readFileSync(config.signingCaCertFile, 'utf8'),
      privateKeyPem: fs.readFileSync(config.signingCaKeyFile, 'utf8'),
      source: 'configured',
      directory: path.dirname(config.signingCaCertFile),
    };
  }
  const certFile = path.join(directory, 'ca.pem');
  const keyFile = path.join(directory, 'ca-key.pem');
  if (fs.existsSync(certFile) !== fs.existsSync(keyFile)) {
    throw new ConfigError(
      'DATA_DIR',
      `names an organisation CA that is half there (${fs.existsSync(certFile) ? keyFile : certFile} is missing). Restore both files from the backup.`,
    );
  }
  if (fs.existsSync(certFile) && fs.existsSync(keyFile)) {
    return { certificatePem: fs.readFileSync(certFile, 'utf8'), privateKeyPem: fs.readFileSync(keyFile, 'utf8'), source: 'data-dir', directory };
  }
  const ca = createOrganisationCa({ organisationName: config.signingOrganisation, now });
  fs.mkdirSync(directory, { recursive: true, mode: 0o700 });
  writeOnce(keyFile, ca.privateKeyPem, 0o600);
  writeOnce(certFile, ca.certificatePem, 0o644);
  // Another process may have won the race: what is on disk is the CA.
  return { certificatePem: fs.readFileSync(certFile, 'utf8'), privateKeyPem: fs.readFileSync(keyFile, 'utf8'), source: 'created', directory };
}

function writeOnce(file: string, content: string, mode: number): void {
  const temporary = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(temporary, content, { mode });
  try {
    fs.linkSync(temporary, file); // fails if another process created it first
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  } finally {
    fs.rmSync(temporary, { force: true });
  }
}

/**
 * The organisation's sealing certificate (issued by its CA; digitalSignature + nonRepudiation), used
 * to seal controlled-record PDFs and dossiers. Created next to the CA on first use.
 */
export function loadOrCreateSealingCertificate(config: AttestflowConfig, ca: OrganisationCa, now: Date = new Date()): CertificateAndKey {
  const directory = path.join(config.dataDir, 'pki');
  const certFile = path.join(directory, 'seal.pem');
  const keyFile = path.join(directory, 'seal-key.pem');
  if (!fs.existsSync(certFile) || !fs.existsSync(keyFile)) {
    const seal = createSealingCertificate(ca, { organisationName: config.signingOrganisation, now });
    fs.mkdirSync(directory, { recursive: true, mode: 0o700 });
    writeOnce(keyFile, seal.privateKeyPem, 0o600);
    writeOnce(certFile, seal.certificatePem, 0o644);
  }
  return { certificatePem: fs.readFileSync(certFile, 'utf8'), privateKeyPem: fs.readFileSync(keyFile, 'utf8') };
}

/**
 * What the worker needs to seal controlled records: the sealing certificate and the CA, and where
 * the signed audit checkpoints it writes when sealing are appended (DATA_DIR/audit-checkpoints).
 */
export function sealingIdentity(config: AttestflowConfig): {
  organisation: string;
  seal: CertificateAndKey;
  caCertificatePem: string;
  timeZone: string;
  auditCheckpointDir: string;
} {
  const ca = loadOrCreateOrganisationCa(config);
  return {
    organisation: config.signingOrganisation,
    seal: loadOrCreateSealingCertificate(config, ca),
    caCertificatePem: ca.certificatePem,
    timeZone: config.timeZone,
    auditCheckpointDir: path.join(config.dataDir, 'audit-checkpoints'),
  };
}

/** For verifiers: where the organisation CA certificate is (SIGNING_CA_CERT_FILE, else DATA_DIR/pki/ca.pem); never creates one. */
export function organisationCaCertificatePath(config: AttestflowConfig): string {
  return config.signingCaCertFile ?? path.join(config.dataDir, 'pki', 'ca.pem');
}
