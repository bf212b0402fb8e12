import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type { LotEntry } from '../../db/material';
import { LOT_ORIGINS, LOT_STATUSES, type LotOrigin, type LotStatus, type LotStatusEventRow } from '../../db/schema';
import { ItemView, toItemView } from './items.view';

export class LotView {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() lotNumber!: string;
  @ApiProperty({ type: ItemView }) item!: ItemView;
  @ApiProperty({ description: 'The quantity the lot came into being with' }) quantity!: number;
  @ApiProperty({ description: 'What is left: quantity minus what production consumed' }) remaining!: number;
  @ApiProperty() unit!: string;
  @ApiProperty({ enum: LOT_ORIGINS }) origin!: LotOrigin;
  @ApiProperty({ enum: LOT_STATUSES, description: "The latest event of the lot's status ledger" }) status!: LotStatus;
  @ApiPropertyOptional({ type: String, nullable: true, example: '2027-06-30' }) expiryDate!: string | null;
  @ApiPropertyOptional({ type: String, nullable: true }) supplierName!: string | null;
  @ApiPropertyOptional({ type: String, nullable: true }) supplierLotNumber!: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
}

export class LotStatusEventView {
  @ApiProperty() seq!: number;
  @ApiProperty({ enum: LOT_STATUSES }) status!: LotStatus;
  @ApiProperty() reason!: string;
  @ApiPropertyOptional({ type: String, nullable: true, format: 'uuid', description: 'Null when the system acted' }) actorId!: string | null;
  @ApiProperty() actorName!: string;
  @ApiProperty({ format: 'date-time' }) occurredAt!: string;
  @ApiPropertyOptional({ type: String, nullable: true, format: 'uuid' }) causedByRecordId!: string | null;
  @ApiPropertyOptional({ type: String, nullable: true, format: 'uuid' }) causedByProductionRecordId!: string | null;
}

export class LotDetailView extends LotView {
  @ApiProperty({ type: [String] }) serialNumbers!: string[];
  @ApiProperty({ type: [LotStatusEventView], description: 'The status ledger, oldest first' }) statusHistory!: LotStatusEventView[];
}

export function toLotView(entry: LotEntry): LotView {
  const { lot } = entry;
  return {
    id: lot.id,
    lotNumber: lot.lotNumber,
    item: toItemView(entry.item),
    quantity: Number(lot.quantity),
    remaining: Number(entry.remaining),
    unit: lot.unit,
    origin: lot.origin,
    status: entry.status,
    expiryDate: lot.expiryDate,
    supplierName: lot.supplierName,
    supplierLotNumber: lot.supplierLotNumber,
    createdAt: lot.createdAt.toISOString(),
  };
}

export function toLotStatusEventView(event: LotStatusEventRow): LotStatusEventView {
  return {
    seq: event.seq,
    status: event.status,
    reason: event.reason,
    actorId: event.actorId,
    actorName: event.actorName,
    occurredAt: event.occurredAt.toISOString(),
    causedByRecordId: event.causedByRecordId,
    causedByProductionRecordId: event.causedByProductionRecordId,
  };
}
