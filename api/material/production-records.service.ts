import { Injectable } from '@nestjs/common';
import type { DatabaseHandle } from '../../db/client';
import { findLotEntry, findProductionRecord, productionInputs, recordProduction } from '../../db/material';
import { findUserById, findUserByUsername, type UserWithRoles } from '../../db/repositories';
import { AppError } from '../common/app-error';
import type { ClientInfo } from '../common/request-context';
import { InjectDatabase } from '../infrastructure';
import { toLotView } from './lots.view';
import { refusalsAsAppErrors } from './material-error';
import { MATERIAL_ROLES } from './material-roles';
import { quantityText } from './material.dto';
import type { CreateProductionRecordDto } from './production-records.dto';
import { toProductionRecordView, type ProductionRecordView } from './production-records.view';

const isProduction = (user: UserWithRoles) => MATERIAL_ROLES.production.some((r) => user.roles.includes(r));

/** Production records: what a run consumed and the lot it produced. */
@Injectable()
export class ProductionRecordsService {
  constructor(@InjectDatabase() private readonly database: DatabaseHandle) {}

  private get db() {
    return this.database.db;
  }

  async create(user: UserWithRoles, dto: CreateProductionRecordDto, client: ClientInfo): Promise<ProductionRecordView> {
    const lotIds = dto.inputs.map((i) => i.lotId);
    if (new Set(lotIds).size !== lotIds.length) {
      throw new AppError('validation_failed', 'An input lot is listed twice: give each lot once, with the total quantity consumed from it.');
    }
    let operator = user;
    if (dto.operatorUsername !== undefined && dto.operatorUsername !== user.username) {
      const named = await findUserByUsername(this.db, dto.operatorUsername);
      if (!named || named.status !== 'active' || !isProduction(named)) {
        throw new AppError(
          'unknown_user',
          `No active person named "${dto.operatorUsername}" holds a production role (${MATERIAL_ROLES.production.join(', ')}).`,
        );
      }
      operator = named;
    }
    return refusalsAsAppErrors(async () => {
      const result = await this.db.transaction((tx) =>
        recordProduction(
          tx,
          {
            kind: dto.kind ?? 'production',
            workOrder: dto.workOrder,
            workstation: dto.workstation,
            parameters: dto.parameters.map((p) => ({ name: p.name, value: p.value, ...(p.unit === undefined ? {} : { unit: p.unit }) })),
            operator: { id: operator.id, name: operator.printedName },
            performedAt: dto.performedAt ? new Date(dto.performedAt) : new Date(),
            output: {
              itemId: dto.output.itemId,
              lotNumber: dto.output.lotNumber,
              quantity: quantityText(dto.output.quantity),
              unit: dto.output.unit,
              expiryDate: dto.output.expiryDate ?? null,
              serialNumbers: dto.output.serialNumbers ?? [],
            },
            inputs: dto.inputs.map((i) => ({ lotId: i.lotId, quantity: quantityText(i.quantity) })),
          },
          { id: user.id, name: user.printedName },
          client,
        ),
      );
      return this.get(result.record.id);
    });
  }

  async get(id: string): Promise<ProductionRecordView> {
    const record = await findProductionRecord(this.db, id);
    if (!record) throw new AppError('unknown_production_record', `No production record with id ${id}.`);
    const [operator, output, inputs] = await Promise.all([
      findUserById(this.db, record.operatorId),
      findLotEntry(this.db, record.outputLotId),
      productionInputs(this.db, id),
    ]);
    const inputViews = await Promise.all(
      inputs.map(async (i) => ({ lot: toLotView((await findLotEntry(this.db, i.inputLotId))!), quantity: Number(i.quantity) })),
    );
    return toProductionRecordView(record, operator?.printedName ?? '', toLotView(output!), inputViews);
  }
}
