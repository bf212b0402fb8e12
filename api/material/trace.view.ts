import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { TRACE_DIRECTIONS, type Trace, type TraceDirection } from '../../db/material';
import { ITEM_CLASSES, LOT_ORIGINS, LOT_STATUSES, type ItemClass, type LotOrigin, type LotStatus } from '../../db/schema';

export class TraceItemView {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() partNumber!: string;
  @ApiProperty() revision!: string;
  @ApiProperty() description!: string;
  @ApiProperty({ enum: ITEM_CLASSES }) itemClass!: ItemClass;
}

export class TraceProducedByView {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() workOrder!: string;
  @ApiProperty() workstation!: string;
  @ApiProperty({ format: 'date-time' }) performedAt!: string;
}

export class TraceRecordView {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ example: 'NCMR-2026-0001' }) number!: string;
  @ApiProperty() type!: string;
}

export class TraceLotView {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() lotNumber!: string;
  @ApiProperty({ type: TraceItemView }) item!: TraceItemView;
  @ApiProperty() quantity!: number;
  @ApiProperty() unit!: string;
  @ApiProperty({ enum: LOT_ORIGINS }) origin!: LotOrigin;
  @ApiPropertyOptional({ type: String, nullable: true }) supplierName!: string | null;
  @ApiPropertyOptional({ type: String, nullable: true }) supplierLotNumber!: string | null;
  @ApiPropertyOptional({ type: String, nullable: true }) expiryDate!: string | null;
  @ApiProperty({ enum: LOT_STATUSES }) status!: LotStatus;
  @ApiProperty({ description: 'Production steps from the traced lot (0: the lot itself)' }) depth!: number;
  @ApiPropertyOptional({ type: TraceProducedByView, nullable: true }) producedBy!: TraceProducedByView | null;
  @ApiProperty({ type: [TraceRecordView], description: "The regulated records that changed the lot's status" }) records!: TraceRecordView[];
}

export class TraceEdgeView {
  @ApiProperty({ format: 'uuid' }) inputLotId!: string;
  @ApiProperty({ format: 'uuid' }) outputLotId!: string;
  @ApiProperty({ description: 'Of the input lot, consumed into the output lot' }) quantity!: number;
  @ApiProperty() depth!: number;
}

export class TraceView {
  @ApiProperty({ enum: TRACE_DIRECTIONS }) direction!: TraceDirection;
  @ApiProperty() maxDepth!: number;
  @ApiProperty({ type: [TraceLotView], description: 'The traced lot first, then each lot reached, nearest first' }) lots!: TraceLotView[];
  @ApiProperty({ type: [TraceEdgeView] }) edges!: TraceEdgeView[];
  @ApiProperty({ description: 'Genealogy continues beyond maxDepth' }) truncated!: boolean;
}

export function toTraceView(trace: Trace): TraceView {
  return {
    direction: trace.direction,
    maxDepth: trace.maxDepth,
    lots: trace.lots.map((l) => ({ ...l, quantity: Number(l.quantity) })),
    edges: trace.edges.map((e) => ({ ...e, quantity: Number(e.quantity) })),
    truncated: trace.truncated,
  };
}
