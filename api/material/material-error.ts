import { MaterialRefusal, type MaterialRefusalCode } from '../../db/material';
import { AppError, type ErrorCode } from '../common/app-error';

// Every refusal code of the material side is an API error code: this line stops compiling when
// db/material/material-refusal.ts gains a code api/common/app-error.ts does not map to a status.
const _everyRefusalIsAnErrorCode: MaterialRefusalCode extends ErrorCode ? true : never = true;
void _everyRefusalIsAnErrorCode;

/** Runs `work`, answering a material refusal as the API error with the same code. */
export async function refusalsAsAppErrors<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof MaterialRefusal) throw new AppError(error.code, error.message, error.details);
    throw error;
  }
}
