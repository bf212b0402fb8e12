import type { PipeTransform } from '@nestjs/common';
import { AppError } from '../common/app-error';
import { DEFECT_CODE, DEFECT_CODE_MESSAGE } from './defect-codes.dto';

/** A defect code in the path has the list's shape; anything else is a 400 before any lookup. */
export const defectCodePipe: PipeTransform<string, string> = {
  transform(value: string): string {
    if (!DEFECT_CODE.test(value)) throw new AppError('validation_failed', `The defect code in the path ${DEFECT_CODE_MESSAGE}.`, { defectCode: value });
    return value;
  },
};
