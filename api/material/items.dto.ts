import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsBoolean, IsIn, IsString, IsUUID, Matches, MaxLength, MinLength, ValidateNested } from 'class-validator';
import { ITEM_CLASSES, type ItemClass } from '../../db/schema';
import { Trimmed } from '../common/trimmed';
import { MATERIAL_CODE, MATERIAL_CODE_MESSAGE, Quantity } from './material.dto';

export class BomLineDto {
  @ApiProperty({ format: 'uuid', description: 'The component item (its id)' })
  @IsUUID()
  componentItemId!: string;

  @ApiProperty({ example: 2, description: "Quantity of the component per unit of the item, in the component's unit of measure" })
  @Quantity()
  quantityPer!: number;
}

export class CreateItemDto {
  @ApiProperty({ example: 'HSG-4711', pattern: MATERIAL_CODE.source })
  @Matches(MATERIAL_CODE, { message: `partNumber ${MATERIAL_CODE_MESSAGE}` })
  partNumber!: string;

  @ApiProperty({ example: 'B', description: 'Part number + revision is unique; a change to an item is a new revision' })
  @Matches(/^[A-Za-z0-9][A-Za-z0-9.-]{0,15}$/, { message: 'revision must be 1–16 letters, digits, dots or dashes' })
  revision!: string;

  @ApiProperty({ example: 'Pump housing, machined' })
  @Trimmed()
  @IsString()
  @MinLength(3)
  @MaxLength(500)
  description!: string;

  @ApiProperty({ example: 'pcs', description: 'Lots of this item are counted in this unit' })
  @Trimmed()
  @IsString()
  @MinLength(1)
  @MaxLength(16)
  unitOfMeasure!: string;

  @ApiProperty({ enum: ITEM_CLASSES })
  @IsIn(ITEM_CLASSES)
  itemClass!: ItemClass;

  @ApiProperty({ description: 'Each unit of a lot carries a serial number' })
  @IsBoolean()
  serialised!: boolean;

  @ApiPropertyOptional({ type: [BomLineDto], description: 'Components and quantities per unit; production of the item consumes only these' })
  @IsArray()
  @ArrayMaxSize(200)
  @ValidateNested({ each: true })
  @Type(() => BomLineDto)
  billOfMaterials: BomLineDto[] = [];
}
