import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ABANDONED_UPLOAD_AGE_MS, sweepAbandonedUploads } from './streamed-upload';

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'attestflow-uploads-'));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

function file(name: string, ageMs: number) {
  const at = new Date(Date.now() - ageMs);
  fs.writeFileSync(path.join(dir, name), 'x');
  fs.utimesSync(path.join(dir, name), at, at);
}

test('removes .part files an interrupted upload left, keeps uploads in progress and other files', async () => {
  file('abandoned.part', ABANDONED_UPLOAD_AGE_MS + 60_000);
  file('in-progress.part', 5_000);
  file('old-but-not-an-upload.txt', ABANDONED_UPLOAD_AGE_MS * 10);
  expect(await sweepAbandonedUploads(dir)).toEqual(['abandoned.part']);
  expect(fs.readdirSync(dir).sort()).toEqual(['in-progress.part', 'old-but-not-an-upload.txt']);
});

test('a directory that does not exist yet has nothing to sweep', async () => {
  expect(await sweepAbandonedUploads(path.join(dir, 'uploads'))).toEqual([]);
});
