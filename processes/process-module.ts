// What the API needs of a process, registered once (processes/modules.ts): its declaration, where it
// is served, who creates one, its request schemas, and how the fields people send become content.
// The generic controller (api/processes/process.controller.ts) serves every module alike.
import type { Type } from '@nestjs/common';
import type { Database } from '../db/client';
import type { UserWithRoles } from '../db/repositories';
import type { JsonContent } from '../workflows/contracts/process-contracts';
import type { ProcessDefinition } from '../workflows/steps/definition';

/** Every amendment: the changed fields (the process's fields schema), why, and the version amended. */
export interface AmendBody<Fields> {
  changes: Fields;
  reason: string;
  baseVersion: number;
}

export interface ProcessModule<C extends JsonContent = JsonContent, Create extends object = object, Fields extends object = object> {
  definition: ProcessDefinition<C>;
  /** Path under /api: `change-controls` serves /api/change-controls. */
  route: string;
  /** The OpenAPI tag of its operations. */
  tag: string;
  /** Roles that may create one. */
  createRoles: readonly string[];
  /** Request schemas (class-validator DTOs): creation, the fields an author step submits, amendment. */
  createDto: Type<Create>;
  fieldsDto: Type<Fields>;
  amendDto: Type<AmendBody<Fields>>;
  /** The content of a new record from the creation request; refuses unknown references. */
  resolveCreate(db: Database, body: Create, user: UserWithRoles): Promise<C>;
  /** The content fields an author step submits or an amendment changes; only those sent. */
  resolveFields(db: Database, fields: Fields): Promise<Partial<C>>;
}

/** Declares a module with its types inferred and checked (`resolveCreate` returns the declaration's content). */
export const processModule = <C extends JsonContent, Create extends object, Fields extends object>(
  module: ProcessModule<C, Create, Fields>,
): ProcessModule<C, Create, Fields> => module;
