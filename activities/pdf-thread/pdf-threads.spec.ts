import { recordInput } from '../../bench/pdf-inputs';
import { createOrganisationCa, createSealingCertificate } from '../../signatures/pki';
import { verifySealedPdf } from '../../signatures/pades';
import type { SealingIdentity } from '../controlled-record';
import { interactiveWorkEnded, interactiveWorkStarted, pdfThreadPaused } from './interactive-gate';
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

describe('requests first: a PDF thread pauses while the API answers a request', () => {
  let gated: PdfThreads | undefined;
  afterEach(async () => {
    await gated?.close();
    gated = undefined;
  });

  test('a render pauses while a request is in flight, goes on when it is answered, and gives the same PDF', async () => {
    const input = recordInput(200);
    const seal = identity(new Date(input.generatedAt.getTime() - 86_400_000));
    // No cap in reach: the order is driven by the request, never by a clock.
    gated = startPdfThreads({ maxThreads: 1, maxPauseMs: 3_600_000 });
    interactiveWorkStarted();
    let settled = false;
    const rendering = gated.sealedRecordPdf(input, seal, 'Controlled record at closure: CC-0001').finally(() => {
      settled = true;
    });
    try {
      while (!pdfThreadPaused()) await new Promise((resolve) => setTimeout(resolve, 5));
      expect(settled).toBe(false);
    } finally {
      interactiveWorkEnded();
    }
    const [inThread, here] = await Promise.all([rendering, sealInThisThread.sealedRecordPdf(input, seal, 'Controlled record at closure: CC-0001')]);
    expect(pdfThreadPaused()).toBe(false);
    expect(inThread.equals(here)).toBe(true);
  });

  test('no stream of requests starves a PDF: a render pauses at most maxPauseMs in all, then finishes', async () => {
    const input = recordInput(200);
    const seal = identity(new Date(input.generatedAt.getTime() - 86_400_000));
    gated = startPdfThreads({ maxThreads: 1, maxPauseMs: 50 });
    interactiveWorkStarted();
    try {
      const pdf = await gated.sealedRecordPdf(input, seal, 'x');
      expect(verifySealedPdf(pdf, { caCertificatePem: seal.caCertificatePem })).toMatchObject({ ok: true });
    } finally {
      interactiveWorkEnded();
    }
  });
});
