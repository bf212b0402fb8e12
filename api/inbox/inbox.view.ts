import { ApiProperty } from '@nestjs/swagger';

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
