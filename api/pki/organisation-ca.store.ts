import fs from 'node:fs';
import path from 'node:path';
import type { AttestflowConfig } from '../../config/config';
import { createOrganisationCa } from '../../signatures/pki';

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
  if (fs.existsSync(certFile) && fs.existsSync(keyFile)) {
    return { certificatePem: fs.readFileSync(certFile, 'utf8'), privateKeyPem: fs.readFileSync(keyFile, 'utf8'), source: 'data-dir', directory };
  }
  const ca = createOrganisationCa({ organisationName: config.signingOrganisation, now });
  fs.mkdirSync(directory, { recursive: true, mode: 0o700 });
  fs.writeFileSync(keyFile, ca.privateKeyPem, { mode: 0o600 });
  fs.writeFileSync(certFile, ca.certificatePem, { mode: 0o644 });
  return { ...ca, source: 'created', directory };
}
