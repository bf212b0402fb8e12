import fs from 'node:fs';

/**
 * An error the person running the command caused and can fix (a missing file, a missing CA, a
 * malformed input): the CLI prints its message as one line, without a stack trace, and exits 2.
 */
export class UserError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UserError';
  }
}

/** Reads a file the person named on the command line; a missing or unreadable file is a UserError. */
export function readUserFile(file: string, what: string): Buffer {
  try {
    return fs.readFileSync(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason =
      code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a directory' : code === 'EACCES' ? 'permission denied' : (error as Error).message;
    throw new UserError(`Cannot read the ${what} ${file}: ${reason}.`);
  }
}
