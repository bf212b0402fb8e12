import { ApiProperty } from '@nestjs/swagger';
import type { RecordSummary } from '../../db/repositories';

const dateTime = { type: String, format: 'date-time' } as const;

/** Who created a record. */
export class RecordAuthorView {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() username!: string;
  @ApiProperty({ description: 'The name printed in signature manifestations' }) printedName!: string;
}

/** One record in a list: enough to show it in a row and to open it (GET /api/<process>/{id}). */
export class RecordSummaryView {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ example: 'change_control' }) type!: string;
  @ApiProperty({ example: 'CC-2026-0001' }) number!: string;
  @ApiProperty({ type: String, nullable: true, description: "The latest version's title (null when the content has none)" }) title!: string | null;
  @ApiProperty({ example: 'impact_assessment' }) status!: string;
  @ApiProperty({ type: 'integer', nullable: true, description: 'The latest version' }) version!: number | null;
  @ApiProperty({ type: RecordAuthorView }) author!: RecordAuthorView;
  @ApiProperty(dateTime) createdAt!: string;
  @ApiProperty({ ...dateTime, description: 'The latest version or state change, whichever is later' }) updatedAt!: string;
}

/** One page of a record list. */
export class RecordListView {
  @ApiProperty({ type: [RecordSummaryView] }) items!: RecordSummaryView[];
  @ApiProperty({ type: 'integer', description: 'How many records match the filters, on every page together (those the reader may read)' }) total!: number;
  @ApiProperty({ type: String, nullable: true, description: 'Pass as `cursor` for the next page; null on the last page' }) nextCursor!: string | null;
}

export function toRecordSummaryView(r: RecordSummary): RecordSummaryView {
  return {
    id: r.id,
    type: r.type,
    number: r.number,
    title: r.title,
    status: r.status,
    version: r.version,
    author: { id: r.authorId, username: r.authorUsername, printedName: r.authorName },
    createdAt: r.createdAt.toISOString(),
    updatedAt: r.updatedAt.toISOString(),
  };
}
