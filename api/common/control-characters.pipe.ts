import type { ArgumentMetadata, PipeTransform } from '@nestjs/common';
import { AppError } from './app-error';

/** C0 controls and DEL, except tab, line feed and carriage return (a CRLF line break). */
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/;

/**
 * The same rule as a JSON Schema pattern for a whole string: no control character but tab, LF and
 * CR. The string holds the characters themselves, not `\u` escapes, which not every pattern engine
 * reads alike (schemathesis's negation took `\u0000` for the characters `\`, `u` and `0`).
 */
export const NO_CONTROL_CHARACTERS = '^[^\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]*$';

/** The path of the first string under `value` that holds a control character, or null. */
function controlCharacterAt(value: unknown, path: string, depth = 0): string | null {
  if (typeof value === 'string') return CONTROL.test(value) ? path || 'value' : null;
  if (depth > 32 || value === null || typeof value !== 'object' || Buffer.isBuffer(value)) return null;
  const entries = Array.isArray(value) ? value.map((v, i) => [String(i), v] as const) : Object.entries(value);
  for (const [key, item] of entries) {
    if (CONTROL.test(key)) return path ? `${path}.${key}` : key;
    const found = controlCharacterAt(item, path ? `${path}.${key}` : key, depth + 1);
    if (found) return found;
  }
  return null;
}

/**
 * Text with a NUL or another control character is refused at the boundary with 400
 * `control_character`, before anything runs: PostgreSQL cannot store NUL in text, and a value that
 * cannot be stored must never reach a workflow, whose activity would fail on it.
 */
export const refuseControlCharacters: PipeTransform = {
  transform(value: unknown, metadata: ArgumentMetadata) {
    if (metadata.type !== 'body' && metadata.type !== 'query' && metadata.type !== 'param') return value;
    const at = controlCharacterAt(value, metadata.type === 'body' ? '' : (metadata.data ?? ''));
    if (at) {
      throw new AppError('control_character', `The field "${at}" holds a control character (such as NUL); only tab and line breaks are allowed in text.`, {
        field: at,
      });
    }
    return value;
  },
};
