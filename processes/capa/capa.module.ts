// CAPA, as the API serves it: /api/capas, created by initiators and QA.
import { processModule } from '../process-module';
import { capaProcess } from './capa.process';
import { resolveCapaFields, resolveCreateCapa } from './capa.resolver';
import { AmendCapaDto, CapaFieldsDto, CreateCapaDto } from './capa.schemas';

export const capaModule = processModule({
  definition: capaProcess,
  route: 'capas',
  tag: 'CAPA',
  createRoles: ['initiator', 'qa'],
  createDto: CreateCapaDto,
  fieldsDto: CapaFieldsDto,
  amendDto: AmendCapaDto,
  resolveCreate: async (_db, body) => resolveCreateCapa(body),
  resolveFields: resolveCapaFields,
});
