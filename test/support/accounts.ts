// People the administrator adds in a test, beside the demo organisation.
import { DEMO_TRAINING } from '../../db/seed-demo';
import type { HttpSession, People } from './http-session';

function expectCreated(what: string, response: { status: number; body: any }): any {
  if (response.status !== 201) throw new Error(`${what}: ${response.status} ${JSON.stringify(response.body)}`);
  return response.body;
}

/**
 * A person the administrator creates with `roles` and, unless `trained` is false, records as trained
 * on the change-control procedure the approval step requires. Their one-time password goes into
 * `people`, so `people.session(username)` signs them in. Returns the user id.
 */
export async function addPerson(
  admin: HttpSession,
  people: People,
  {
    username,
    roles,
    printedName = `Test ${username}`,
    reason = 'Joined QA',
    trained = true,
  }: { username: string; roles: string[]; printedName?: string; reason?: string; trained?: boolean },
): Promise<string> {
  const created = expectCreated(`create ${username}`, await admin.post('/api/admin/users', { username, printedName, roles, reason }));
  people.passwords[username] = created.oneTimePassword;
  if (trained) {
    expectCreated(
      `train ${username}`,
      await admin.post('/api/admin/training-records', {
        userId: created.id,
        documentNumber: DEMO_TRAINING.requirement.documentNumber,
        revision: 1,
        trainedAt: new Date().toISOString(),
        reason: 'Classroom training',
      }),
    );
  }
  return created.id;
}
