// How a request schema says that a property holds the id of an entry of another register (a lot),
// so that a client can offer a search over that register instead of a field for a raw UUID. The
// browser app's form builder reads the extension (web/src/forms/form-fields.ts) and draws the
// picker registered for the register; a client that does not know it sees a plain uuid string.

/** The OpenAPI extension keyword on a `format: uuid` string property: the register its value names. */
export const REFERENCE_EXTENSION = 'x-attestflow-reference';

/** The registers a property may name, each listed and searched by the API (`lot`: GET /api/lots?q=). */
export type ReferencedRegister = 'lot';

/** The schema keywords of a property that holds the id of an entry of `register`, to spread into `@ApiProperty`. */
export function referenceTo(register: ReferencedRegister): { format: 'uuid'; [REFERENCE_EXTENSION]: ReferencedRegister } {
  return { format: 'uuid', [REFERENCE_EXTENSION]: register };
}
