import { dropDatabase } from './test-database';
import { templateDatabaseUrl } from './test-env';

export default async function globalTeardown(): Promise<void> {
  await globalThis.__ATTESTFLOW_TEMPORAL__?.stop();
  await dropDatabase(templateDatabaseUrl()).catch(() => undefined);
}
