import { newSignatureId } from './signature-id';

test('a signature id is a random version 4 UUID, as the API checks (IsUUID), and never repeats', () => {
  const ids = Array.from({ length: 1000 }, newSignatureId);
  for (const id of ids) expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  expect(new Set(ids).size).toBe(ids.length);
});
