// Every process as the API serves it, one line each; api/processes/process.controller.ts makes one
// controller per entry. The pure declarations alone are in processes/declarations.ts.
import type { ProcessType } from '../workflows/contracts/process-contracts';
import { capaModule } from './capa/capa.module';
import { changeControlModule } from './change-control/change-control.module';
import { documentRevisionModule } from './document-revision/document-revision.module';
import { ncmrModule } from './ncmr/ncmr.module';
import type { ProcessModule } from './process-module';

export const PROCESS_MODULES: Readonly<Record<ProcessType, ProcessModule>> = {
  change_control: changeControlModule,
  document_revision: documentRevisionModule,
  capa: capaModule,
  ncmr: ncmrModule,
};
