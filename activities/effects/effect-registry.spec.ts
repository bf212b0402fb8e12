// Every effect a declaration names is registered by its domain, once; an unknown name fails without retry.
import type { Database } from '../../db/client';
import { PROCESS_DECLARATIONS } from '../../processes/declarations';
import type { ProcessDefinition } from '../../workflows/steps/definition';
import { createEffectActivities, effectRegistry } from './effect-registry';

const deps = { db: {} as Database };
const named = (definition: ProcessDefinition) => [
  ...(definition.onExit ?? []),
  ...Object.values(definition.steps).flatMap((step) => [...(step.onEnter ?? []), ...('onExit' in step ? (step.onExit ?? []) : [])]),
];

test('every effect named in a process declaration is registered', () => {
  const registered = Object.keys(effectRegistry(deps));
  const names = Object.values(PROCESS_DECLARATIONS).flatMap(named);
  expect(names).toEqual(
    expect.arrayContaining(['document.assign_training', 'document.make_effective', 'document.obsolete', 'ncmr.hold_lots', 'ncmr.settle_lots']),
  );
  expect(names.filter((name) => !registered.includes(name))).toEqual([]);
});

test('an unknown effect fails without retry, naming it', async () => {
  const run = createEffectActivities(deps).runEffect({
    name: 'nobody.knows',
    effect: { recordId: 'r', type: 'capa', effectId: 'e', on: 'enter', from: null, to: 'x', reason: null, context: null },
  });
  await expect(run).rejects.toMatchObject({ type: 'unknown_effect', nonRetryable: true, message: expect.stringContaining('nobody.knows') });
});
