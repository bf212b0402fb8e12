// A record PDF names people and records, not their ids: "ownerId: 5a40…" is printed as
// "Owner: Pedro Rossi". Applied to the content and audit values shown for reading; the embedded
// canonical JSON keeps the ids byte for byte.

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const MAX_DEPTH = 32;

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Date);

/** Every UUID string anywhere in a JSON value. */
export function uuidsIn(value: unknown, out: Set<string> = new Set(), depth = 0): Set<string> {
  if (depth > MAX_DEPTH) return out;
  if (typeof value === 'string' && UUID.test(value)) out.add(value.toLowerCase());
  else if (Array.isArray(value)) for (const item of value) uuidsIn(item, out, depth + 1);
  else if (isPlainObject(value)) for (const child of Object.values(value)) uuidsIn(child, out, depth + 1);
  return out;
}

/**
 * The value with every known id replaced by its name (a person's printed name, a record's number):
 * a key "<x>Id" holding a known id becomes "<x>", and a sibling "<x>Name" saying the same is
 * dropped. Unknown ids (signatures, amendments) stay as they are.
 */
export function withNames<T>(value: T, names: ReadonlyMap<string, string>, depth = 0): T {
  if (depth > MAX_DEPTH) return value;
  const nameOf = (v: unknown) => (typeof v === 'string' && UUID.test(v) ? names.get(v.toLowerCase()) : undefined);
  if (typeof value === 'string') return (nameOf(value) ?? value) as T;
  if (Array.isArray(value)) return value.map((item: unknown) => withNames(item, names, depth + 1)) as T;
  if (!isPlainObject(value)) return value;
  const out: Record<string, unknown> = {};
  const dropped = new Set<string>();
  for (const [key, child] of Object.entries(value)) {
    const name = nameOf(child);
    const base = /^(.+)Id$/.exec(key)?.[1];
    if (name !== undefined && base && !(base in value)) {
      out[base] = name;
      if (value[`${base}Name`] === name) dropped.add(`${base}Name`);
    } else out[key] = withNames(child, names, depth + 1);
  }
  for (const key of dropped) delete out[key];
  return out as T;
}
