import { ApiProperty } from '@nestjs/swagger';
import { INBOX_DIRECTIONS, INBOX_SORTS } from './inbox.dto';

/** One open task in the inbox: addressed to the reader or to a role the reader holds. */
export class InboxEntryView {
  @ApiProperty({ format: 'uuid' }) taskId!: string;
  @ApiProperty({ format: 'uuid' }) recordId!: string;
  @ApiProperty({ example: 'CC-2026-0001' }) recordNumber!: string;
  @ApiProperty({ example: 'change_control' }) recordType!: string;
  @ApiProperty() step!: string;
  @ApiProperty() action!: string;
  @ApiProperty() title!: string;
  @ApiProperty({ type: String, nullable: true }) assigneeRole!: string | null;
  @ApiProperty({ type: String, format: 'date-time' }) openedAt!: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) dueAt!: string | null;
  @ApiProperty({ description: 'This task chases another task that went overdue (an escalation)' }) escalated!: boolean;
}

/** One page of the inbox, with the number of tasks on every page together. */
export class InboxPageView {
  @ApiProperty({ type: [InboxEntryView] }) items!: InboxEntryView[];
  @ApiProperty({ type: 'integer', description: 'How many open tasks match the filters, on every page together' }) total!: number;
  @ApiProperty({ type: 'integer', description: 'The page size used' }) limit!: number;
  @ApiProperty({ type: 'integer', description: 'How many tasks this page skipped' }) offset!: number;
  @ApiProperty({ enum: INBOX_SORTS }) sort!: (typeof INBOX_SORTS)[number];
  @ApiProperty({ enum: INBOX_DIRECTIONS }) direction!: (typeof INBOX_DIRECTIONS)[number];
}
