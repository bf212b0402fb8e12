import { ApiOkResponse } from '@nestjs/swagger';

/** A 200 whose body is the file itself (bytes of one of these media types), named by its SHA-256 in X-Content-SHA256. */
export function ApiFileResponse(description: string, ...mediaTypes: string[]): MethodDecorator & ClassDecorator {
  return ApiOkResponse({
    description,
    headers: {
      'X-Content-SHA256': { description: 'SHA-256 (hex) of the body', schema: { type: 'string', pattern: '^[0-9a-f]{64}$' } },
      'Content-Disposition': { description: 'attachment, with the file name', schema: { type: 'string' } },
    },
    content: Object.fromEntries(mediaTypes.map((type) => [type, { schema: { type: 'string', format: 'binary' } }])),
  });
}
