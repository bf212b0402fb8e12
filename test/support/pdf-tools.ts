import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { readTlv } from '../../signatures/pki/der';

/** Runs a poppler or openssl tool and returns everything it printed (pdfsig exits 0 even when invalid). */
export function tool(command: string, args: string[]): { code: number | null; output: string } {
  const result = spawnSync(command, args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (result.error) throw new Error(`${command} is not available (${result.error.message}); install poppler-utils and openssl`);
  return { code: result.status, output: `${result.stdout}${result.stderr}` };
}

/** The last signature's CMS and the signed bytes (the two byte ranges), as a verifier extracts them. */
export function extractPdfSignature(pdf: Buffer): { cms: Buffer; signedBytes: Buffer } {
  const text = pdf.toString('latin1');
  const ranges = [...text.matchAll(/\/ByteRange\s*\[\s*(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s*\]/g)];
  const last = ranges.at(-1);
  if (!last) throw new Error('no /ByteRange in the PDF');
  const [a, b, c, d] = last.slice(1, 5).map(Number) as [number, number, number, number];
  const contents = text.slice(a + b, c).replace(/[<>\s]/g, '');
  const cms = Buffer.from(contents, 'hex');
  // The /Contents placeholder is zero-padded: keep the DER object only.
  return { cms: readTlv(cms).bytes, signedBytes: Buffer.concat([pdf.subarray(a, a + b), pdf.subarray(c, c + d)]) };
}

export function writeTemp(dir: string, name: string, data: Buffer | string): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, data);
  return file;
}
