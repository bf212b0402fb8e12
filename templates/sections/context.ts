import type { TimeFormatter } from '../format';
import type { Flow } from '../layout';

/** What every section renderer draws with. */
export interface SectionContext {
  flow: Flow;
  time: TimeFormatter;
  /** The structure element (a record's Sect) the section's elements belong to. */
  parent: PDFKit.PDFStructureElement;
  /** The bookmark under which the section's headings are listed. */
  outline: PDFKit.PDFOutline;
}
