import { X509Certificate } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Executor } from '../db/client';
import { firstIssuedUserCertificate } from '../db/repositories';
import { ConfigError, type AttestflowConfig } from './config';

/**
 * Refuses to start when the organisation CA on disk is not the one that issued the certificates in
 * the database: a database restored without its DATA_DIR/pki (or with another one) would otherwise
 * get a new CA on first start, and every earlier signature and sealed PDF would no longer chain to
 * the CA that verifiers are given. Called by every process before it loads or creates the CA.
 */
export async function assertOrganisationCaContinuity(db: Executor, config: AttestflowConfig): Promise<void> {
  const files = caFiles(config);
  const present = [files.certificate, files.key].filter((file) => fs.existsSync(file));
  if (present.length === 1) {
    const missing = present[0] === files.certificate ? files.key : files.certificate;
    throw new ConfigError(
      files.variable,
      `names an organisation CA that is half there: ${present[0]} exists but ${missing} does not. Restore both files from the backup; Attestflow will not pair a CA certificate with a new key.`,
    );
  }
  const issued = await firstIssuedUserCertificate(db);
  if (!issued) return;
  const userCertificate = new X509Certificate(issued.certificatePem);
  if (present.length === 0) {
    throw new ConfigError(
      files.variable,
      `holds no organisation CA (${files.certificate} is missing), but the database holds certificates issued by one ` +
        `(serial ${issued.serialHex}, issuer "${oneLine(userCertificate.issuer)}"). Restore DATA_DIR/pki from the backup taken with this database ` +
        `(docs/deployment.md, "Backups"). Attestflow will not create a new CA: earlier signatures would no longer verify against it.`,
    );
  }
  const ca = new X509Certificate(fs.readFileSync(files.certificate, 'utf8'));
  if (!userCertificate.checkIssued(ca) || !userCertificate.verify(ca.publicKey)) {
    throw new ConfigError(
      files.variable,
      `holds an organisation CA ("${oneLine(ca.subject)}", SHA-256 ${ca.fingerprint256}) that did not issue the certificates in the database ` +
        `(serial ${issued.serialHex}, issuer "${oneLine(userCertificate.issuer)}"). Give this database the CA it was used with (DATA_DIR/pki from the same backup).`,
    );
  }
}

function caFiles(config: AttestflowConfig): { certificate: string; key: string; variable: string } {
  if (config.signingCaCertFile && config.signingCaKeyFile) {
    return { certificate: config.signingCaCertFile, key: config.signingCaKeyFile, variable: 'SIGNING_CA_CERT_FILE' };
  }
  const directory = path.join(config.dataDir, 'pki');
  return { certificate: path.join(directory, 'ca.pem'), key: path.join(directory, 'ca-key.pem'), variable: 'DATA_DIR' };
}

const oneLine = (distinguishedName: string) => distinguishedName.split('\n').join(', ');
