// The keyset cursor of the record lists: the last record of a page, by (createdAt, id), as opaque
// base64url text. A cursor is read back only as such a position; anything else is refused.
import type { RecordListPosition } from '../../db/repositories';
import { AppError } from '../common/app-error';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

export function encodeRecordCursor(position: RecordListPosition): string {
  return Buffer.from(`${position.createdAt.toISOString()}|${position.id}`, 'utf8').toString('base64url');
}

export function decodeRecordCursor(cursor: string): RecordListPosition {
  const [at, id, ...rest] = Buffer.from(cursor, 'base64url').toString('utf8').split('|');
  const createdAt = at !== undefined && ISO.test(at) ? new Date(at) : undefined;
  if (!createdAt || Number.isNaN(createdAt.getTime()) || createdAt.toISOString() !== at || id === undefined || !UUID.test(id) || rest.length) {
    throw new AppError('validation_failed', "The request is not valid: cursor must be a previous page's nextCursor.", {
      problems: ["cursor must be a previous page's nextCursor"],
    });
  }
  return { createdAt, id };
}
