import { ApiProperty } from '@nestjs/swagger';
import type { DefectCode } from '../../db/material';

export class DefectCodeView {
  @ApiProperty({ example: 'DIM-OOT' }) code!: string;
  @ApiProperty({ example: 'Dimension out of tolerance' }) description!: string;
  @ApiProperty({ description: 'false: retired; a new NCMR cannot name it, old records keep it' }) active!: boolean;
  @ApiProperty({ minimum: 1, description: "The code's latest version (each change appends one)" }) version!: number;
}

export const toDefectCodeView = (code: DefectCode): DefectCodeView => ({
  code: code.code,
  description: code.description,
  active: code.active,
  version: code.seq,
});
