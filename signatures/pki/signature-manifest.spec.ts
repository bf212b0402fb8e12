import { canonicalJson } from '../canonical-json';
import { manifestBytes, manifestSignedAt, type SignatureManifest } from './signature-manifest';

const manifest: SignatureManifest = {
  v: 1,
  signatureId: '7d9f2c1e-0000-4000-8000-000000000001',
  recordId: '7d9f2c1e-0000-4000-8000-000000000002',
  recordNumber: 'CC-2026-0001',
  recordVersion: 2,
  contentHash: 'a'.repeat(64),
  signerId: '7d9f2c1e-0000-4000-8000-000000000003',
  printedName: 'Zoë Ångström',
  meaning: 'approved',
  comment: null,
  signedAt: '2026-03-01T09:30:00.250Z',
  step: 'qa_approval',
};

describe('signature manifest', () => {
  test('its bytes are the UTF-8 of its RFC 8785 canonical JSON, independent of key order', () => {
    const reordered = Object.fromEntries(Object.entries(manifest).reverse()) as unknown as SignatureManifest;
    expect(manifestBytes(reordered).equals(manifestBytes(manifest))).toBe(true);
    expect(manifestBytes(manifest).toString('utf8')).toBe(canonicalJson(manifest));
    expect(manifestBytes(manifest).toString('utf8')).toContain('"printedName":"Zoë Ångström"');
  });

  test('signedAt must be an ISO 8601 UTC timestamp', () => {
    expect(manifestSignedAt(manifest).toISOString()).toBe('2026-03-01T09:30:00.250Z');
    expect(manifestSignedAt({ signedAt: '2026-03-01T09:30:00Z' }).toISOString()).toBe('2026-03-01T09:30:00.000Z');
    for (const signedAt of ['2026-03-01T10:30:00+01:00', '2026-03-01 09:30:00', 'yesterday', '2026-02-30T09:30:00Z']) {
      expect(() => manifestSignedAt({ signedAt })).toThrow(RangeError);
    }
  });
});
