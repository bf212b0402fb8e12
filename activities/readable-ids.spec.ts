import { uuidsIn, withNames } from './readable-ids';

const PEDRO = '5a40c102-f589-4718-9982-bca93aac09db';
const RECORD = '52f16db9-4347-4821-ba42-2505de7a135a';
const SIGNATURE = '47ac1ae2-d544-4fd4-aeff-7d0b3a7066ae';
const names = new Map([
  [PEDRO, 'Pedro Rossi'],
  [RECORD, 'CC-2026-0001'],
]);

test('every UUID in a value is found, nested and in arrays', () => {
  expect([...uuidsIn({ a: [{ ownerId: PEDRO }], b: RECORD.toUpperCase(), c: 'not-an-id', d: 3 })].sort()).toEqual([RECORD, PEDRO].sort());
});

test('a known id under "<x>Id" becomes "<x>" with the name; a duplicate "<x>Name" goes; unknown ids stay', () => {
  const value = {
    implementationTasks: [{ key: 'task-1', title: 'Release', ownerId: PEDRO, ownerName: 'Pedro Rossi', dueAt: null }],
    parentRecordId: RECORD,
    invalidatedSignatureIds: [SIGNATURE],
    authorId: '00000000-0000-4000-8000-000000000000',
    reviewers: [PEDRO],
  };
  expect(withNames(value, names)).toEqual({
    implementationTasks: [{ key: 'task-1', title: 'Release', owner: 'Pedro Rossi', dueAt: null }],
    parentRecord: 'CC-2026-0001',
    invalidatedSignatureIds: [SIGNATURE],
    authorId: '00000000-0000-4000-8000-000000000000',
    reviewers: ['Pedro Rossi'],
  });
});

test('a key "<x>Id" beside an existing "<x>" keeps its key', () => {
  expect(withNames({ owner: 'team A', ownerId: PEDRO }, names)).toEqual({ owner: 'team A', ownerId: 'Pedro Rossi' });
});
