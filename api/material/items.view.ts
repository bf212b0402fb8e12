import { ApiProperty } from '@nestjs/swagger';
import type { ItemWithBom } from '../../db/material';
import { ITEM_CLASSES, type ItemClass, type ItemRow } from '../../db/schema';

export class ItemView {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() partNumber!: string;
  @ApiProperty() revision!: string;
  @ApiProperty() description!: string;
  @ApiProperty() unitOfMeasure!: string;
  @ApiProperty({ enum: ITEM_CLASSES }) itemClass!: ItemClass;
  @ApiProperty() serialised!: boolean;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
}

export class BomLineView {
  @ApiProperty({ type: ItemView }) component!: ItemView;
  @ApiProperty() quantityPer!: number;
}

export class ItemDetailView extends ItemView {
  @ApiProperty({ type: [BomLineView] }) billOfMaterials!: BomLineView[];
}

export function toItemView(item: ItemRow): ItemView {
  return {
    id: item.id,
    partNumber: item.partNumber,
    revision: item.revision,
    description: item.description,
    unitOfMeasure: item.unitOfMeasure,
    itemClass: item.itemClass,
    serialised: item.serialised,
    createdAt: item.createdAt.toISOString(),
  };
}

export function toItemDetailView(item: ItemWithBom): ItemDetailView {
  return {
    ...toItemView(item),
    billOfMaterials: item.billOfMaterials.map((l) => ({ component: toItemView(l.component), quantityPer: Number(l.quantityPer) })),
  };
}
