// `attestflow projections verify`: the tables derived by triggers (the inbox's open_tasks, the
// trace's lot_trace_cards) compared with the append-only truth they are kept from, as an operator
// runs it after a restore or an incident. A card changed behind the guard's back is named.
import { sql } from 'drizzle-orm';
import { connectDatabase, type DatabaseHandle } from '../db/client';
import { createItem, receiveLot } from '../db/material';
import { users } from '../db/schema';
import { seedDemoOrganisation } from '../db/seed-demo';
import { attestflow } from './support/cli';
import { createTestDatabase, dropDatabase } from './support/test-database';

jest.setTimeout(120_000);

let url: string;
let handle: DatabaseHandle;
let lotId: string;

beforeAll(async () => {
  url = await createTestDatabase('projections_verify');
  handle = connectDatabase(url, { max: 2 });
  await seedDemoOrganisation(handle.db);
  const [user] = await handle.db
    .select()
    .from(users)
    .where(sql`${users.username} = 'initiator'`);
  const person = { id: user!.id, name: user!.printedName };
  const item = await handle.db.transaction((tx) =>
    createItem(
      tx,
      {
        partNumber: 'RM-PC-01',
        revision: 'A',
        description: 'Polycarbonate resin',
        unitOfMeasure: 'kg',
        itemClass: 'raw_material',
        serialised: false,
        billOfMaterials: [],
      },
      person,
    ),
  );
  const received = await handle.db.transaction((tx) =>
    receiveLot(
      tx,
      { itemId: item.id, lotNumber: 'PC-0001', quantity: '25', expiryDate: null, serialNumbers: [], supplierName: 'Acme Polymers', supplierLotNumber: 'AP-1' },
      person,
    ),
  );
  lotId = received.lot.id;
});

afterAll(async () => {
  await handle.close();
  await dropDatabase(url);
});

test('every derived table agrees with its truth: exit 0, one line each', () => {
  const result = attestflow(['projections', 'verify'], { DATABASE_URL: url });
  expect({ code: result.code, output: result.output.trim().split('\n') }).toEqual({
    code: 0,
    output: [expect.stringMatching(/^open_tasks: agrees with /), expect.stringMatching(/^lot_trace_cards: agrees with /)],
  });
});

test('a card changed behind the guard is named: exit 1', async () => {
  // Only a superuser who switches the guard off can do this; the check must still see it.
  await handle.db.transaction(async (tx) => {
    await tx.execute(sql`ALTER TABLE lot_trace_cards DISABLE TRIGGER lot_trace_cards_derived_only`);
    await tx.execute(sql`UPDATE lot_trace_cards SET quantity = '2500' WHERE lot_id = ${lotId}`);
    await tx.execute(sql`ALTER TABLE lot_trace_cards ENABLE ALWAYS TRIGGER lot_trace_cards_derived_only`);
  });
  const result = attestflow(['projections', 'verify'], { DATABASE_URL: url });
  expect(result.code).toBe(1);
  expect(result.output).toMatch(/^open_tasks: agrees with /m);
  expect(result.output).toContain('lot_trace_cards: DIFFERS from');
  expect(result.output).toContain(`missing or different: ${lotId}`);
});
