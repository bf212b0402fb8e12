import { ApiProperty, ApiPropertyOptional, type ApiPropertyOptions } from '@nestjs/swagger';
import type { ContentChangeKind, JsonValue } from './content-changes';

const CHANGE_KINDS: ContentChangeKind[] = ['added', 'removed', 'changed'];

/** Any JSON value: a field of the content as it was or became. */
const jsonValue = (description: string): ApiPropertyOptions => ({
  description,
  nullable: true,
  oneOf: [{ type: 'string' }, { type: 'number' }, { type: 'boolean' }, { type: 'object', additionalProperties: true }, { type: 'array', items: {} }],
});

/** One version of a record's content, without the content: who made it, when, why, and its hash. */
export class RecordVersionSummaryView {
  @ApiProperty() version!: number;
  @ApiProperty({ pattern: '^[0-9a-f]{64}$' }) contentHash!: string;
  @ApiProperty({ type: String, format: 'date-time' }) createdAt!: string;
  @ApiProperty({ format: 'uuid' }) createdBy!: string;
  @ApiProperty({ description: 'The printed name of the person who made the version' }) createdByName!: string;
  @ApiProperty({ type: String, nullable: true, description: 'Why the version was made (an amendment’s reason; null for the first version)' })
  reason!: string | null;
}

/** One field that differs between the two versions. */
export class ContentChangeView {
  @ApiProperty({
    type: [String],
    description: 'Object keys and list positions (as decimal strings), outermost first; empty for the content as a whole',
    example: ['impact', 'riskLevel'],
  })
  path!: string[];
  @ApiProperty({ enum: CHANGE_KINDS }) kind!: ContentChangeKind;
  @ApiPropertyOptional(jsonValue('The value in the `from` version (absent when the field was added)')) before?: JsonValue;
  @ApiPropertyOptional(jsonValue('The value in the `to` version (absent when the field was removed)')) after?: JsonValue;
}

/** What changed in a record's content from one version to another, and the versions made in between. */
export class RecordVersionChangesView {
  @ApiProperty({ format: 'uuid' }) recordId!: string;
  @ApiProperty({ example: 'CC-2026-0001' }) number!: string;
  @ApiProperty({ type: RecordVersionSummaryView }) from!: RecordVersionSummaryView;
  @ApiProperty({ type: RecordVersionSummaryView }) to!: RecordVersionSummaryView;
  @ApiProperty({
    type: [RecordVersionSummaryView],
    description: 'The versions made after `from` up to and including `to`, oldest first, each with its reason (empty when `to` is not newer)',
  })
  amendments!: RecordVersionSummaryView[];
  @ApiProperty({
    type: [ContentChangeView],
    description:
      'Each field that differs, in the order the stored content lists its fields. A list of plain values counts as one field; a list of objects is compared entry by entry. Empty when the two versions have the same content.',
  })
  changes!: ContentChangeView[];
}
