// A record's view pairs its stored step with the actions the workflow offers in that same step.
// A step's transition is written by an activity a moment before the workflow takes in that it
// moved; a read in that moment once answered the new status with the old step's actions (the CAPA
// main path saw "effectiveness_check" with no reject on offer). Here a gate holds the activity's
// answer after its transaction committed, so the moment lasts as long as the test needs it.
import { runWorker, type RunningWorker } from '../api/temporal/temporal-worker';
import { SAMPLE_CHANGE, SMALL_IMPACT } from './support/change-control-thread';
import { startTestSystem, workerSettingsOf, type TestSystem } from './support/test-system';

/** Holds the answer of the activity that writes the transition into step `to`, once written. */
class TransitionGate {
  private held: { to: string; reached: () => void; released: Promise<void> } | undefined;
  private releaseHeld: () => void = () => undefined;

  /** Arms the gate for step `to`; resolves once a transition into it is written and held. */
  hold(to: string): Promise<void> {
    const released = new Promise<void>((resolve) => (this.releaseHeld = resolve));
    return new Promise<void>((reached) => (this.held = { to, reached, released }));
  }

  release(): void {
    this.releaseHeld();
  }

  /** Called after each transitionProcess activity has committed. */
  async passing(to: string | undefined): Promise<void> {
    const held = this.held;
    if (!held || held.to !== to) return;
    this.held = undefined;
    held.reached();
    await held.released;
  }
}

let system: TestSystem;
let worker: RunningWorker | undefined;
const gate = new TransitionGate();

beforeAll(async () => {
  system = await startTestSystem('process_view_catch_up', { runWorker: false });
  worker = await runWorker({
    ...workerSettingsOf(system),
    interceptors: {
      activity: [
        (ctx) => ({
          inbound: {
            async execute(input, next) {
              const result = await next(input);
              const [request] = input.args as [{ transition?: { to?: string } }];
              if (ctx.info.activityType === 'transitionProcess') await gate.passing(request.transition?.to);
              return result;
            },
          },
        }),
      ],
    },
  });
});
afterAll(async () => {
  gate.release();
  await worker?.shutdown();
  await system?.close();
});

test('while the workflow has not yet taken in a stored step change, a read offers no other step’s actions', async () => {
  const initiator = await system.session('initiator');
  const created = await initiator.post('/api/change-controls', SAMPLE_CHANGE);
  expect(created.status).toBe(201);
  const path = `/api/change-controls/${created.body.id}`;
  expect((await initiator.post(`${path}/submit`)).status).toBe(200);
  const assessing = (await initiator.get(path)).body;
  expect(assessing.status).toBe('impact_assessment');
  // The author is offered the step they are in: submitting the impact assessment.
  expect(assessing.allowedActions).toEqual(expect.arrayContaining([expect.objectContaining({ action: 'submit', step: 'impact_assessment' })]));

  const held = gate.hold('approval');
  const submitting = initiator.post(`${path}/submit`, SMALL_IMPACT);
  try {
    await held;
    // The transition to approval is stored; the workflow still holds impact_assessment.
    const during = await initiator.get(path);
    expect(during.status).toBe(200);
    expect(during.body.status).toBe('approval');
    // Before the fix: status "approval" beside impact_assessment's "submit". Now: no actions known.
    for (const action of during.body.allowedActions ?? []) expect(action.step).toBe(during.body.status);
    expect(during.body.allowedActions).toBeNull();

    // Released while a read is in flight, whichever comes first: the read still agrees with itself.
    const reading = initiator.get(path);
    gate.release();
    const read = await reading;
    for (const action of read.body.allowedActions ?? []) expect(action.step).toBe(read.body.status);
  } finally {
    gate.release();
    const submitted = await submitting;
    expect(submitted.status).toBe(200);
    expect(submitted.body.status).toBe('approval');
  }
  const qa = await system.session('qa');
  const approval = (await qa.get(path)).body;
  expect(approval.allowedActions).toEqual(expect.arrayContaining([expect.objectContaining({ action: 'sign', step: 'approval' })]));
});
