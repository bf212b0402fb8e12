// A CAPA's fields as people send them → its content: owners of actions resolved from their usernames,
// with the change control an action starts kept as sent.
import type { Database } from '../../db/client';
import { resolvePlannedTasks, sentFields } from '../shared/planned-tasks.resolver';
import type { CapaContent } from './capa.process';
import type { CapaFieldsDto, CreateCapaDto } from './capa.schemas';

export function resolveCreateCapa(body: CreateCapaDto): CapaContent {
  return { title: body.title, description: body.description, source: { ...body.source }, investigation: null, actions: [] };
}

export async function resolveCapaFields(db: Database, fields: CapaFieldsDto): Promise<Partial<CapaContent>> {
  const { actions, ...rest } = fields;
  const content: Partial<CapaContent> = sentFields(rest);
  if (actions) {
    const planned = await resolvePlannedTasks(db, actions, 'action');
    content.actions = planned.map((task, i) => ({ ...task, changeControl: actions[i]!.changeControl ? { ...actions[i]!.changeControl } : null }));
  }
  return content;
}
