import { describeCheckpoint, parseSignedAuditCheckpoint, verifyAuditCheckpoint, type AuditCheckpoint, type SignedAuditCheckpoint } from './audit-checkpoint';
import { sha256Hex } from './canonical-json';
import { listPdfAttachments, verifySealedPdf } from './pades';
import { verifyManifestCms, type RevokedSerial, type SignatureManifest } from './pki';

export interface PdfCheck {
  check: string;
  ok: boolean;
  detail: string;
}

export interface ControlledPdfVerification {
  valid: boolean;
  checks: PdfCheck[];
  /** The audit checkpoint the file carries (`audit-checkpoint.json`), when it carries one with a valid seal. */
  auditCheckpoint?: AuditCheckpoint;
}

const RECORD_JSON = /^record-(.+)-v(\d+)\.json$/;
const SIGNATURE_JSON = /^signature-([0-9a-f-]{36})\.json$/;

/**
 * Everything an auditor checks without trusting the server (11.10(b), 11.70): the organisation
 * seal over the whole file, chained to the CA; every embedded file against the manifest; every
 * embedded record JSON against the hash its signatures bind; every per-signer CMS.
 */
export function verifyControlledPdf(pdf: Buffer, options: { caCertificatePem: string; revokedSerials?: RevokedSerial[] }): ControlledPdfVerification {
  const checks: PdfCheck[] = [];
  const seal = verifySealedPdf(pdf, options);
  checks.push({
    check: 'organisation seal (PAdES) over the whole document, chained to the organisation CA',
    ok: seal.ok,
    detail: seal.ok
      ? `Sealed by "${seal.signer?.subjectCommonName}" at ${seal.signingTime?.toISOString()}.`
      : seal.checks
          .filter((c) => !c.ok)
          .map((c) => `${c.check}: ${c.detail}`)
          .join(' '),
  });
  let attachments: { name: string; data: Buffer }[];
  try {
    attachments = listPdfAttachments(pdf);
  } catch (error) {
    checks.push({ check: 'embedded files readable', ok: false, detail: (error as Error).message });
    return { valid: false, checks };
  }
  const byName = new Map(attachments.map((a) => [a.name, a.data]));
  const manifestFile = byName.get('manifest.json');
  if (manifestFile) {
    const listed = JSON.parse(manifestFile.toString('utf8')) as { files?: { name: string; sha256: string }[] } | { name: string; sha256: string }[];
    const files = Array.isArray(listed) ? listed : (listed.files ?? []);
    const problems = files.filter((f) => !byName.has(f.name) || sha256Hex(byName.get(f.name)!) !== f.sha256).map((f) => f.name);
    const unlisted = attachments.filter((a) => a.name !== 'manifest.json' && !files.some((f) => f.name === a.name)).map((a) => a.name);
    checks.push({
      check: 'every embedded file matches the manifest of hashes',
      ok: problems.length === 0 && unlisted.length === 0,
      detail:
        problems.length || unlisted.length
          ? `Mismatched or missing: ${problems.join(', ') || 'none'}; not listed: ${unlisted.join(', ') || 'none'}.`
          : `${files.length} files match.`,
    });
  }
  const recordHashes = new Map<string, string>();
  for (const a of attachments) {
    const match = RECORD_JSON.exec(a.name);
    if (match) recordHashes.set(`${match[1]}#${match[2]}`, sha256Hex(a.data));
  }
  let signatures = 0;
  for (const a of attachments) {
    const match = SIGNATURE_JSON.exec(a.name);
    if (!match) continue;
    signatures += 1;
    const manifest = JSON.parse(a.data.toString('utf8')) as SignatureManifest;
    const cms = byName.get(`signature-${match[1]}.p7s`);
    const label = `signature of ${manifest.printedName} (${manifest.meaning}) on ${manifest.recordNumber} v${manifest.recordVersion}`;
    if (!cms) {
      checks.push({ check: label, ok: false, detail: 'The CMS signature file is missing.' });
      continue;
    }
    const cmsBase64 = /^[A-Za-z0-9+/=\s]+$/.test(cms.toString('latin1')) ? cms.toString('latin1').trim() : cms.toString('base64');
    const result = verifyManifestCms({ manifest, cmsBase64, caCertificatePem: options.caCertificatePem, revokedSerials: options.revokedSerials });
    const embeddedHash = recordHashes.get(`${manifest.recordNumber}#${manifest.recordVersion}`);
    const bound = embeddedHash === undefined || embeddedHash === manifest.contentHash;
    checks.push({
      check: label,
      ok: result.ok && bound,
      detail: !result.ok
        ? result.problems.join(' ')
        : !bound
          ? `The embedded record JSON hashes to ${embeddedHash}; the signature binds ${manifest.contentHash}.`
          : embeddedHash
            ? 'CMS valid; bound to the embedded record version.'
            : 'CMS valid; the signed version is not embedded (an earlier version).',
    });
  }
  if (signatures === 0) checks.push({ check: 'per-signer signatures', ok: true, detail: 'The document embeds no e-signatures.' });
  const auditCheckpoint = checkEmbeddedCheckpoint(byName.get('audit-checkpoint.json'), options.caCertificatePem, checks);
  return { valid: checks.every((c) => c.ok), checks, ...(auditCheckpoint && { auditCheckpoint }) };
}

/** The audit checkpoint a file carries: sealed by the organisation's sealing certificate at its own time. */
function checkEmbeddedCheckpoint(file: Buffer | undefined, caCertificatePem: string, checks: PdfCheck[]): AuditCheckpoint | undefined {
  if (!file) return undefined;
  const check = 'audit trail checkpoint (audit-checkpoint.json), sealed by the organisation';
  let signed: SignedAuditCheckpoint;
  try {
    signed = parseSignedAuditCheckpoint(file.toString('utf8'));
  } catch (error) {
    checks.push({ check, ok: false, detail: (error as Error).message });
    return undefined;
  }
  const result = verifyAuditCheckpoint(signed, { caCertificatePem });
  checks.push({
    check,
    ok: result.ok,
    detail: result.ok
      ? `The audit trail reached ${describeCheckpoint(signed.checkpoint)}; check the live trail against it with \`attestflow audit verify --checkpoint <this file>\`.`
      : result.problems.join(' '),
  });
  return result.ok ? signed.checkpoint : undefined;
}

export function describePdfVerification(fileName: string, result: ControlledPdfVerification): string {
  return [
    `${fileName}:`,
    ...result.checks.map((c) => `  ${c.ok ? 'PASS' : 'FAIL'}  ${c.check}: ${c.detail}`),
    result.valid ? 'VERDICT: VALID — sealed, complete and every signature intact.' : 'VERDICT: INVALID — see the failed checks above.',
  ].join('\n');
}
