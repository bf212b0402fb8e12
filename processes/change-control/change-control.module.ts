// Change control, as the API serves it: /api/change-controls, created by initiators.
import { processModule } from '../process-module';
import { changeControlProcess } from './change-control.process';
import { resolveChangeControlFields, resolveCreateChangeControl } from './change-control.resolver';
import { AmendChangeControlDto, ChangeControlFieldsDto, CreateChangeControlDto } from './change-control.schemas';

export const changeControlModule = processModule({
  definition: changeControlProcess,
  route: 'change-controls',
  tag: 'change control',
  createRoles: ['initiator'],
  createDto: CreateChangeControlDto,
  fieldsDto: ChangeControlFieldsDto,
  amendDto: AmendChangeControlDto,
  resolveCreate: async (_db, body) => resolveCreateChangeControl(body),
  resolveFields: resolveChangeControlFields,
});
