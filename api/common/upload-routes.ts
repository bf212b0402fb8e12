/** The media types a document file may be uploaded as (the request's Content-Type). */
export const DOCUMENT_MEDIA_TYPES = ['application/pdf', 'application/octet-stream'];

/** The media type of the PDF sent to the verification route. */
export const PDF_MEDIA_TYPES = ['application/pdf'];

export const DOCUMENT_UPLOAD_PATH = '/api/documents/files';
export const PDF_VERIFICATION_PATH = '/api/verify/pdf';

/**
 * The routes whose body is not JSON, with the media types each declares (in its @ApiConsumes):
 * every other write accepts only application/json (api/common/write-requests.ts).
 */
export const UPLOAD_ROUTES: Readonly<Record<string, readonly string[]>> = {
  [`POST ${DOCUMENT_UPLOAD_PATH}`]: DOCUMENT_MEDIA_TYPES,
  [`POST ${PDF_VERIFICATION_PATH}`]: PDF_MEDIA_TYPES,
};

/** The path as Express routes it: without the query, case-insensitive, no trailing slash. */
export function routePath(url: string): string {
  const pathname = url.split('?')[0]!.toLowerCase();
  return pathname.length > 1 && pathname.endsWith('/') ? pathname.slice(0, -1) : pathname;
}

/** The media type of a Content-Type header, lower-case, without parameters. */
export function mediaTypeOf(contentType: string | undefined): string | undefined {
  const type = contentType?.split(';')[0]!.trim().toLowerCase();
  return type ? type : undefined;
}
