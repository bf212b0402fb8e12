// Every process of processes/modules.ts served by its own generated controller, and the one service
// they share; registered in api/app.module.ts.
import { PROCESS_MODULES } from '../../processes/modules';
import { processController } from './process.controller';
import { ProcessService } from './process.service';

export const PROCESS_CONTROLLERS = Object.values(PROCESS_MODULES).map(processController);
export const PROCESS_PROVIDERS = [ProcessService];
