// Who may sign (issue 10, items 5 and 6; DESIGN.md "Roles and what they may do"): auditors and
// administrators never sign and never own a task — a property of their roles (`roles.may_sign`,
// `roles.may_own_tasks`), checked where a quorum or an owner is chosen and again where the
// signature or the task completion is written; and the administrator cannot make itself a signer.
import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { changeAwaitingApproval, signOff, SMALL_IMPACT } from './support/change-control-thread';
import type { HttpSession } from './support/http-session';
import { upload } from './support/process-threads';
import { startTestSystem, type TestSystem } from './support/test-system';

let system: TestSystem;
let admin: HttpSession;
let initiator: HttpSession;
let doccontrol: HttpSession;
beforeAll(async () => {
  system = await startTestSystem('signing_duties');
  admin = await system.session('admin');
  initiator = await system.session('initiator');
  doccontrol = await system.people.signer('doccontrol');
});
afterAll(() => system?.close());

interface Response<T = any> {
  status: number;
  body: T;
}

function expectOk<T = any>(what: string, response: Response<T>, status = 200): T {
  if (response.status !== status) throw new Error(`${what}: expected ${status}, got ${response.status} ${JSON.stringify(response.body)}`);
  return response.body;
}

async function rows<T>(query: ReturnType<typeof sql>): Promise<T[]> {
  return (await system.database.db.execute(query)).rows as T[];
}

async function userId(username: string): Promise<string> {
  const [row] = await rows<{ id: string }>(sql`SELECT id FROM users WHERE username = ${username}`);
  return row!.id;
}

async function rolesOf(username: string): Promise<string[]> {
  return (await rows<{ role: string }>(sql`SELECT role FROM user_roles ur JOIN users u ON u.id = ur.user_id WHERE u.username = ${username} ORDER BY role`)).map(
    (r) => r.role,
  );
}

/** A grant made outside the API (before the rule existed, or straight in the database). */
async function grantInDatabase(username: string, role: string): Promise<void> {
  await system.database.db.execute(sql`INSERT INTO user_roles (user_id, role) SELECT id, ${role} FROM users WHERE username = ${username}`);
}

async function revokeInDatabase(username: string, role: string): Promise<void> {
  await system.database.db.execute(sql`DELETE FROM user_roles WHERE role = ${role} AND user_id = (SELECT id FROM users WHERE username = ${username})`);
}

/** A new account made by the seeded administrator; its holder changes the one-time password at first sign-in. */
async function newUser(username: string, roles: string[]): Promise<string> {
  const created = expectOk(
    'create user',
    await admin.post('/api/admin/users', { username, printedName: `Test ${username}`, roles, reason: 'New starter' }),
    201,
  );
  system.people.passwords[username] = created.oneTimePassword;
  return created.id;
}

async function revisionInDraft(number: string): Promise<{ id: string; sha256: string }> {
  expectOk('register', await doccontrol.post('/api/documents', { number, title: 'Line clearance', docType: 'sop', ownerUsername: 'doccontrol' }), 201);
  const bytes = Buffer.from(`%PDF-1.7\n% ${number} ${randomUUID()}\n%%EOF\n`);
  const sha256 = await upload(doccontrol, bytes, `${number}.pdf`);
  const draft = expectOk('create revision', await doccontrol.post('/api/document-revisions', { documentNumber: number, changeSummary: 'First issue' }), 201);
  return { id: draft.id, sha256 };
}

describe('auditors and administrators never sign and never own a task (item 5)', () => {
  test('the roles say so in the database: auditor and administrator may not sign or own a task, every other role may', async () => {
    const flags = await rows<{ name: string; may_sign: boolean; may_own_tasks: boolean }>(sql`SELECT name, may_sign, may_own_tasks FROM roles ORDER BY name`);
    for (const role of flags) {
      const signs = !['auditor', 'administrator'].includes(role.name);
      expect(role).toEqual({ name: role.name, may_sign: signs, may_own_tasks: signs });
    }
    // A role created later must say (no default), and auditor or administrator cannot be made signing.
    const noFlags = await system.database.db
      .execute(sql`INSERT INTO roles (name, description) VALUES ('approver_packaging', 'Approves for packaging')`)
      .catch((error: { cause?: Error }) => error.cause);
    expect((noFlags as Error).message).toMatch(/may_sign/);
    const signingAuditor = await system.database.db
      .execute(sql`UPDATE roles SET may_sign = true WHERE name = 'auditor'`)
      .catch((error: { cause?: Error }) => error.cause);
    expect((signingAuditor as Error).message).toMatch(/roles_non_signing_duties/);
  });

  test('a document revision cannot name auditor or administrator as its reviewers: 422 role_may_not_sign, and it stays in draft', async () => {
    const draft = await revisionInDraft('SOP-QA-0901');
    const effectiveDate = new Date(Date.now() + 3_600_000).toISOString();
    for (const reviewerRoles of [['auditor'], ['administrator'], ['qa', 'auditor']]) {
      const refused = await doccontrol.post(`/api/document-revisions/${draft.id}/submit`, { fileSha256: draft.sha256, effectiveDate, reviewerRoles });
      expect({ reviewerRoles, status: refused.status, code: refused.body.code }).toEqual({ reviewerRoles, status: 422, code: 'role_may_not_sign' });
    }
    expect((await doccontrol.get(`/api/document-revisions/${draft.id}`)).body.status).toBe('draft');
    // Auditors may still be trained on the revision: training is not a signature.
    const submitted = await doccontrol.post(`/api/document-revisions/${draft.id}/submit`, {
      fileSha256: draft.sha256,
      effectiveDate,
      reviewerRoles: ['qa'],
      trainingRoles: ['auditor'],
    });
    expect(expectOk('submit with QA reviewing', submitted).status).toBe('review');
  });

  test('an implementation task or a CAPA action cannot be owned by an auditor or an administrator: 422 role_may_not_own_task', async () => {
    const created = expectOk(
      'create change',
      await initiator.post('/api/change-controls', {
        title: 'Move the label printer',
        description: 'Line 2 to line 3.',
        reason: 'Layout change.',
        riskLevel: 'low',
      }),
      201,
    );
    expectOk('submit draft', await initiator.post(`/api/change-controls/${created.id}/submit`));
    for (const ownerUsername of ['auditor', 'admin']) {
      const refused = await initiator.post(`/api/change-controls/${created.id}/submit`, {
        ...SMALL_IMPACT,
        implementationTasks: [{ title: 'Requalify the printer', ownerUsername }],
      });
      expect({ ownerUsername, status: refused.status, code: refused.body.code }).toEqual({ ownerUsername, status: 422, code: 'role_may_not_own_task' });
    }
    expect((await initiator.get(`/api/change-controls/${created.id}`)).body.status).toBe('impact_assessment');

    const capa = expectOk(
      'create CAPA',
      await initiator.post('/api/capas', {
        title: 'Labels smudge',
        description: 'Labels smudge on line 2.',
        source: { kind: 'complaint', reference: 'COMPL-2026-0901' },
      }),
      201,
    );
    expectOk('submit problem', await initiator.post(`/api/capas/${capa.id}/submit`));
    const refused = await initiator.post(`/api/capas/${capa.id}/submit`, {
      investigation: { rootCause: 'Wrong ribbon.', method: '5 Whys' },
      actions: [{ title: 'Audit the ribbon stock', ownerUsername: 'admin' }],
    });
    expect(refused).toMatchObject({ status: 422, body: { code: 'role_may_not_own_task' } });
  });

  test('auditors and administrators cannot acknowledge the e-signature policy: 422 role_may_not_sign, nothing is stored', async () => {
    for (const username of ['auditor', 'admin']) {
      const session = username === 'admin' ? admin : await system.session(username);
      const refused = await session.post('/api/esignature-policy/acknowledgements', {
        signatureId: randomUUID(),
        password: system.people.passwords[username],
        username,
      });
      expect({ username, status: refused.status, code: refused.body.code }).toEqual({ username, status: 422, code: 'role_may_not_sign' });
    }
    const stored = await rows(sql`SELECT 1 FROM policy_acknowledgements pa JOIN users u ON u.id = pa.user_id WHERE u.username IN ('auditor', 'admin')`);
    expect(stored).toHaveLength(0);
  });

  test('a signer who also holds a role that never signs (granted outside the API) is refused where the signature is written: 422 role_may_not_sign', async () => {
    const qa2 = await system.people.signer('qa2');
    const submitted = await changeAwaitingApproval(initiator);
    await grantInDatabase('qa2', 'auditor');
    try {
      const refused = await qa2.post(`/api/change-controls/${submitted.id}/sign`, signOff(system.people, qa2, 'qa2', submitted as never, 'approved'));
      expect(refused).toMatchObject({ status: 422, body: { code: 'role_may_not_sign' } });
      expect(refused.body.message).toContain('auditor');
      expect(await rows(sql`SELECT 1 FROM signatures WHERE record_id = ${submitted.id}`)).toHaveLength(0);
      expect((await initiator.get(`/api/change-controls/${submitted.id}`)).body.status).toBe('approval');
    } finally {
      await revokeInDatabase('qa2', 'auditor');
    }
    // Without the auditor role the same person signs.
    expectOk('approve', await qa2.post(`/api/change-controls/${submitted.id}/sign`, signOff(system.people, qa2, 'qa2', submitted as never, 'approved')));
  });

  test('a task owner who came to hold the administrator role (outside the API) cannot complete the task: 422 role_may_not_own_task', async () => {
    const qa = await system.people.signer('qa');
    const production = await system.session('production');
    const submitted = await changeAwaitingApproval(initiator, {
      ...SMALL_IMPACT,
      implementationTasks: [{ title: 'Update the line layout drawing', ownerUsername: 'production' }],
    });
    const approved = expectOk(
      'approve',
      await qa.post(`/api/change-controls/${submitted.id}/sign`, signOff(system.people, qa, 'qa', submitted as never, 'approved')),
    );
    const task = approved.record.openTasks.find((t: { action: string }) => t.action === 'complete');
    await grantInDatabase('production', 'administrator');
    try {
      const refused = await production.post(`/api/change-controls/${submitted.id}/tasks/${task.id}/complete`, { note: 'Drawing rev D.' });
      expect(refused).toMatchObject({ status: 422, body: { code: 'role_may_not_own_task' } });
      expect(await rows(sql`SELECT 1 FROM task_completions WHERE task_id = ${task.id}`)).toHaveLength(0);
    } finally {
      await revokeInDatabase('production', 'administrator');
    }
    expectOk('complete', await production.post(`/api/change-controls/${submitted.id}/tasks/${task.id}/complete`, { note: 'Drawing rev D.' }));
  });
});

describe('the administrator cannot make itself a signer (item 6)', () => {
  test('an administrator never changes its own roles: 403 own_roles; it then cannot acknowledge the policy or approve', async () => {
    const adminId = await userId('admin');
    for (const roles of [['administrator', 'qa'], ['qa'], ['administrator']]) {
      const refused = await admin.put(`/api/admin/users/${adminId}/roles`, { roles, reason: 'I approve changes too' });
      expect({ roles, status: refused.status, code: refused.body.code }).toEqual({ roles, status: 403, code: 'own_roles' });
    }
    expect(await rolesOf('admin')).toEqual(['administrator']);
    // The rest of that path: a training record is only a record, but nothing lets the administrator sign.
    expectOk(
      'training record',
      await admin.post('/api/admin/training-records', {
        userId: adminId,
        documentNumber: 'SOP-QA-007',
        revision: 1,
        trainedAt: new Date().toISOString(),
        reason: 'Read the change control SOP',
      }),
      201,
    );
    const ack = await admin.post('/api/esignature-policy/acknowledgements', {
      signatureId: randomUUID(),
      password: system.people.passwords.admin,
      username: 'admin',
    });
    expect(ack).toMatchObject({ status: 422, body: { code: 'role_may_not_sign' } });
    const submitted = await changeAwaitingApproval(initiator);
    const approval = await admin.post(`/api/change-controls/${submitted.id}/sign`, signOff(system.people, admin, 'admin', submitted as never, 'approved'));
    expect(approval.status).toBeGreaterThanOrEqual(400);
    expect(await rows(sql`SELECT 1 FROM signatures WHERE record_id = ${submitted.id}`)).toHaveLength(0);
  });

  test('a signing role is never granted to an administrator, nor administrator to a signer: 422 duty_conflict, on creation and on change', async () => {
    const adminId = await userId('admin');
    const qaId = await userId('qa');
    const auditorId = await userId('auditor');
    await newUser('admin2', ['administrator']);
    const admin2 = await system.session('admin2');
    const attempts: [HttpSession, string, string[]][] = [
      [admin2, adminId, ['administrator', 'qa']],
      [admin, qaId, ['qa', 'administrator']],
      [admin, auditorId, ['auditor', 'approver_engineering']],
    ];
    for (const [session, id, roles] of attempts) {
      const refused = await session.put(`/api/admin/users/${id}/roles`, { roles, reason: 'Small site: one person does both' });
      expect({ roles, status: refused.status, code: refused.body.code }).toEqual({ roles, status: 422, code: 'duty_conflict' });
    }
    expect([await rolesOf('admin'), await rolesOf('qa'), await rolesOf('auditor')]).toEqual([['administrator'], ['qa'], ['auditor']]);
    const created = await admin.post('/api/admin/users', { username: 'both', printedName: 'Bo Th', roles: ['administrator', 'qa'], reason: 'New starter' });
    expect(created).toMatchObject({ status: 422, body: { code: 'duty_conflict' } });
    expect(await rows(sql`SELECT 1 FROM users WHERE username = 'both'`)).toHaveLength(0);
    // The refusals changed nothing, so they left no role-change event.
    expect(await rows(sql`SELECT 1 FROM audit_events WHERE action = 'user.roles_changed' AND entity_id IN (${adminId}, ${qaId}, ${auditorId})`)).toHaveLength(
      0,
    );
    // Each duty alone is granted as before.
    const separate = await newUser('qa-admin-person', ['qa']);
    expect((await admin.put(`/api/admin/users/${separate}/roles`, { roles: ['qa', 'initiator'], reason: 'Raises changes too' })).status).toBe(204);
  });
});
