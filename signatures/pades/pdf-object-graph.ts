import { PdfDict, PdfName, PdfRef, type PdfValue } from './pdf-objects';

/**
 * A PDF's indirect objects, parsed on first use and kept, and the references between them followed.
 * Where the bytes come from (a buffer in memory, a file on disk) is the subclass's `load`.
 */
export abstract class PdfObjectGraph {
  private readonly cache = new Map<number, PdfValue>();

  /** Indirect object `num` as stored, parsed; null when no revision of the file has it. */
  protected abstract load(num: number): PdfValue;

  object(num: number): PdfValue {
    if (this.cache.has(num)) return this.cache.get(num)!;
    const value = this.load(num);
    this.cache.set(num, value);
    return value;
  }

  resolve(value: PdfValue | undefined): PdfValue | undefined {
    let result = value;
    for (let hops = 0; result instanceof PdfRef; hops++) {
      if (hops > 32) throw new Error('reference chain too long');
      result = this.object(result.num);
    }
    return result;
  }

  dict(value: PdfValue | undefined): PdfDict | undefined {
    const resolved = this.resolve(value);
    return resolved instanceof PdfDict ? resolved : undefined;
  }

  array(value: PdfValue | undefined): PdfValue[] {
    const resolved = this.resolve(value);
    return Array.isArray(resolved) ? resolved : [];
  }

  name(value: PdfValue | undefined): string | undefined {
    const resolved = this.resolve(value);
    return resolved instanceof PdfName ? resolved.name : undefined;
  }
}
