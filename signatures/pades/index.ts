export { sealPdf, sealPdfFile, SIGNATURE_LENGTH, type PdfSeal, type SealPdfOptions } from './seal-pdf';
export {
  listPdfAttachments,
  verifySealedPdf,
  type PdfAttachment,
  type PdfVerification,
  type PdfVerificationCheck,
  type VerifySealedPdfOptions,
} from './verify-pdf';
export { findSignatureDictionaries, parsePdfDate, SUBFILTER_CADES, type PdfSignatureDictionary } from './pdf-signature';
