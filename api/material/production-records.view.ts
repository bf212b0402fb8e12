import { ApiProperty } from '@nestjs/swagger';
import { PRODUCTION_KINDS, type ProcessParameter, type ProductionKind, type ProductionRecordRow } from '../../db/schema';
import { LotView } from './lots.view';

export class ProcessParameterView {
  @ApiProperty() name!: string;
  @ApiProperty({ oneOf: [{ type: 'number' }, { type: 'string' }, { type: 'boolean' }] }) value!: string | number | boolean;
  @ApiProperty({ required: false }) unit?: string;
}

export class ProductionInputView {
  @ApiProperty({ type: LotView }) lot!: LotView;
  @ApiProperty({ description: 'Consumed from the lot' }) quantity!: number;
}

export class ProductionRecordView {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ enum: PRODUCTION_KINDS }) kind!: ProductionKind;
  @ApiProperty() workOrder!: string;
  @ApiProperty() workstation!: string;
  @ApiProperty({ type: [ProcessParameterView] }) parameters!: ProcessParameter[];
  @ApiProperty({ format: 'uuid' }) operatorId!: string;
  @ApiProperty() operatorName!: string;
  @ApiProperty({ format: 'date-time' }) performedAt!: string;
  @ApiProperty({ format: 'date-time' }) recordedAt!: string;
  @ApiProperty({ type: LotView }) output!: LotView;
  @ApiProperty({ type: [ProductionInputView] }) inputs!: ProductionInputView[];
}

export function toProductionRecordView(
  record: ProductionRecordRow,
  operatorName: string,
  output: LotView,
  inputs: ProductionInputView[],
): ProductionRecordView {
  return {
    id: record.id,
    kind: record.kind,
    workOrder: record.workOrder,
    workstation: record.workstation,
    parameters: record.parameters,
    operatorId: record.operatorId,
    operatorName,
    performedAt: record.performedAt.toISOString(),
    recordedAt: record.recordedAt.toISOString(),
    output,
    inputs,
  };
}
