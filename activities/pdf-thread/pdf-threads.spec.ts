import { recordInput } from '../../bench/pdf-inputs';
import { createOrganisationCa, createSealingCertificate } from '../../signatures/pki';
import { verifySealedPdf } from '../../signatures/pades';
import type { SealingIdentity } from '../controlled-record';
import { sealInThisThread, startPdfThreads, type PdfThreads } from './pdf-threads';

const ORGANISATION = 'Attestflow Pharma GmbH';

function identity(now: Date): SealingIdentity {
  const ca = createOrganisationCa({ organisationName: ORGANISATION, now, keyBits: 2048 });
  return {
    organisation: ORGANISATION,
    seal: createSealingCertificate(ca, { organisationName: ORGANISATION, now, keyBits: 2048 }),
    caCertificatePem: ca.certificatePem,
    timeZone: 'Europe/Berlin',
  };
}

let threads: PdfThreads;
afterAll(() => threads?.close());

// The thread loads the TypeScript task through bin/ts-thread.js (SWC), as under `npm start`.
test('a record PDF rendered and sealed in a worker thread is the same PDF as on this thread', async () => {
  const input = recordInput(40);
  const seal = identity(new Date(input.generatedAt.getTime() - 86_400_000));
  threads = startPdfThreads({ maxThreads: 1 });
  const [inThread, here] = await Promise.all([
    threads.sealedRecordPdf(input, seal, 'Controlled record at closure: CC-0001'),
    sealInThisThread.sealedRecordPdf(input, seal, 'Controlled record at closure: CC-0001'),
  ]);
  expect(Buffer.isBuffer(inThread)).toBe(true);
  expect(inThread.equals(here)).toBe(true);
  expect(verifySealedPdf(inThread, { caCertificatePem: seal.caCertificatePem })).toMatchObject({ ok: true, coversWholeFile: true });
});

test('a failure in the thread reaches the caller as an error', async () => {
  threads ??= startPdfThreads({ maxThreads: 1 });
  const input = recordInput(1);
  const seal = identity(new Date(input.generatedAt.getTime() + 86_400_000)); // issued after the signing time
  await expect(threads.sealedRecordPdf(input, seal, 'x')).rejects.toThrow(/not valid at the signing time/);
});
