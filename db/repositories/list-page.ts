/** A page of a register ordered by its unique key: text to look for, how many, how many to skip. */
export interface ListPage {
  /** Case-insensitive text, taken literally (no wildcards). */
  text?: string;
  /** Without a limit, every entry from `offset` on. */
  limit?: number;
  offset?: number;
}

/** `%`, `_` and the escape character itself stand for themselves in a LIKE pattern. */
export const likeLiteral = (value: string) => value.replace(/[\\%_]/g, (c) => `\\${c}`);

/** The ILIKE pattern of text anywhere in a value. */
export const containing = (text: string) => `%${likeLiteral(text)}%`;
