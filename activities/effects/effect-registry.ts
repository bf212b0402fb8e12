// The effects every domain registers, by name ("<domain>.<effect>"), and the generic activity that
// runs them. A new domain adds its file here and its effect names to its process declarations.
import { ApplicationFailure } from '@temporalio/activity';
import type { Database } from '../../db/client';
import type { EffectActivities, EffectContext, EffectOutcome } from '../../workflows/contracts/effect-activities';
import { documentControlEffects } from './document-control.effects';
import { ncmrEffects } from './ncmr.effects';

export interface EffectDeps {
  db: Database;
  now?: () => Date;
}

export type Effect = (effect: EffectContext) => Promise<EffectOutcome | void>;
export type EffectRegistry = Readonly<Record<string, Effect>>;

/** Every domain's effects; names are unique across domains (each is prefixed with its domain). */
export function effectRegistry(deps: EffectDeps): EffectRegistry {
  const registry: Record<string, Effect> = {};
  for (const domain of [documentControlEffects(deps), ncmrEffects(deps)]) {
    for (const [name, effect] of Object.entries(domain)) {
      if (registry[name]) throw new Error(`Effect ${name} is registered twice`);
      registry[name] = effect;
    }
  }
  return registry;
}

export function createEffectActivities(deps: EffectDeps): EffectActivities {
  const registry = effectRegistry(deps);
  return {
    async runEffect({ name, effect }) {
      const run = registry[name];
      if (!run) throw ApplicationFailure.nonRetryable(`No effect named "${name}" is registered`, 'unknown_effect');
      return (await run(effect)) ?? {};
    },
  };
}
