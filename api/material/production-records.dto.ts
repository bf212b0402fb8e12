import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsIn,
  IsISO8601,
  IsOptional,
  IsString,
  IsUUID,
  MaxLength,
  MinLength,
  Validate,
  ValidateNested,
  type ValidationArguments,
  ValidatorConstraint,
  type ValidatorConstraintInterface,
} from 'class-validator';
import { PRODUCTION_KINDS, type ProductionKind } from '../../db/schema';
import { Trimmed } from '../common/trimmed';
import { LotFieldsDto } from './lots.dto';
import { Quantity } from './material.dto';

@ValidatorConstraint({ name: 'parameterValue' })
class ParameterValue implements ValidatorConstraintInterface {
  validate(value: unknown): boolean {
    return (
      (typeof value === 'number' && Number.isFinite(value)) ||
      typeof value === 'boolean' ||
      (typeof value === 'string' && value.length >= 1 && value.length <= 500)
    );
  }

  defaultMessage(args: ValidationArguments): string {
    return `${args.property} must be a number, true/false or text of 1–500 characters`;
  }
}

export class ProcessParameterDto {
  @ApiProperty({ example: 'torque' })
  @Trimmed()
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  name!: string;

  @ApiProperty({ oneOf: [{ type: 'number' }, { type: 'string' }, { type: 'boolean' }], example: 12.5 })
  @Validate(ParameterValue)
  value!: string | number | boolean;

  @ApiPropertyOptional({ example: 'N·m' })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(32)
  unit?: string;
}

export class ProductionInputDto {
  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  lotId!: string;

  @ApiProperty({ example: 20, description: "Consumed from the lot, in the lot's unit" })
  @Quantity()
  quantity!: number;
}

export class ProductionOutputDto extends LotFieldsDto {
  @ApiProperty({ format: 'uuid', description: 'The item produced' })
  @IsUUID()
  itemId!: string;
}

export class CreateProductionRecordDto {
  @ApiPropertyOptional({ enum: PRODUCTION_KINDS, default: 'production', description: 'rework: a new lot made from a lot of the same item' })
  @IsOptional()
  @IsIn(PRODUCTION_KINDS)
  kind?: ProductionKind;

  @ApiProperty({ example: 'WO-2026-0815' })
  @Trimmed()
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  workOrder!: string;

  @ApiProperty({ example: 'Press line 2', description: 'The workstation or equipment' })
  @Trimmed()
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  workstation!: string;

  @ApiProperty({ type: [ProcessParameterDto] })
  @IsArray()
  @ArrayMaxSize(200)
  @ValidateNested({ each: true })
  @Type(() => ProcessParameterDto)
  parameters!: ProcessParameterDto[];

  @ApiPropertyOptional({ example: 'production', description: 'The operator, when another person records the run; the caller by default' })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(64)
  operatorUsername?: string;

  @ApiPropertyOptional({ format: 'date-time', description: 'When the run took place; now by default' })
  @IsOptional()
  @IsISO8601({ strict: true })
  performedAt?: string;

  @ApiProperty({ type: [ProductionInputDto], description: 'The lots consumed, each once' })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(500)
  @ValidateNested({ each: true })
  @Type(() => ProductionInputDto)
  inputs!: ProductionInputDto[];

  @ApiProperty({ type: ProductionOutputDto, description: 'The lot produced (it starts in quarantine)' })
  @ValidateNested()
  @Type(() => ProductionOutputDto)
  output!: ProductionOutputDto;
}
