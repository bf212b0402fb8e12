// Nonconforming material, as the API serves it: /api/ncmrs, reported by initiators, QA and the MRB.
import { processModule } from '../process-module';
import { ncmrProcess } from './ncmr.process';
import { resolveCreateNcmr, resolveNcmrFields } from './ncmr.resolver';
import { AmendNcmrDto, CreateNcmrDto, NcmrFieldsDto } from './ncmr.schemas';

export const ncmrModule = processModule({
  definition: ncmrProcess,
  route: 'ncmrs',
  tag: 'NCMR',
  createRoles: ['initiator', 'qa', 'mrb'],
  createDto: CreateNcmrDto,
  fieldsDto: NcmrFieldsDto,
  amendDto: AmendNcmrDto,
  resolveCreate: resolveCreateNcmr,
  resolveFields: resolveNcmrFields,
});
