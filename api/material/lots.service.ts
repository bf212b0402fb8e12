import { Injectable } from '@nestjs/common';
import type { DatabaseHandle } from '../../db/client';
import { findLotEntry, listLots, listLotStatusEvents, lotSerialNumbers, receiveLot, recordLotStatusEvent } from '../../db/material';
import type { UserWithRoles } from '../../db/repositories';
import { AppError } from '../common/app-error';
import type { ClientInfo } from '../common/request-context';
import { InjectDatabase } from '../infrastructure';
import type { ListLotsQuery, LotStatusEventDto, ReceiveLotDto } from './lots.dto';
import { toLotStatusEventView, toLotView, type LotDetailView, type LotView } from './lots.view';
import { refusalsAsAppErrors } from './material-error';
import { quantityText } from './material.dto';

/** Lots: receiving, reading, and their status ledger. */
@Injectable()
export class LotsService {
  constructor(@InjectDatabase() private readonly database: DatabaseHandle) {}

  private get db() {
    return this.database.db;
  }

  receive(user: UserWithRoles, dto: ReceiveLotDto, client: ClientInfo): Promise<LotDetailView> {
    return refusalsAsAppErrors(async () => {
      const { lot } = await this.db.transaction((tx) =>
        receiveLot(
          tx,
          {
            itemId: dto.itemId,
            lotNumber: dto.lotNumber,
            quantity: quantityText(dto.quantity),
            unit: dto.unit,
            expiryDate: dto.expiryDate ?? null,
            serialNumbers: dto.serialNumbers ?? [],
            supplierName: dto.supplierName,
            supplierLotNumber: dto.supplierLotNumber ?? null,
          },
          { id: user.id, name: user.printedName },
          client,
        ),
      );
      return this.get(lot.id);
    });
  }

  async list(query: ListLotsQuery): Promise<LotView[]> {
    const filter = { text: query.q, itemId: query.itemId, status: query.status, limit: query.limit ?? 100, offset: query.offset ?? 0 };
    return (await listLots(this.db, filter)).map(toLotView);
  }

  async get(id: string): Promise<LotDetailView> {
    const entry = await findLotEntry(this.db, id);
    if (!entry) throw new AppError('unknown_lot', `No lot with id ${id}.`);
    const [serialNumbers, events] = await Promise.all([lotSerialNumbers(this.db, id), listLotStatusEvents(this.db, id)]);
    return { ...toLotView(entry), serialNumbers, statusHistory: events.map(toLotStatusEventView) };
  }

  changeStatus(user: UserWithRoles, id: string, dto: LotStatusEventDto, client: ClientInfo): Promise<LotDetailView> {
    return refusalsAsAppErrors(async () => {
      await this.db.transaction((tx) =>
        recordLotStatusEvent(tx, {
          lotId: id,
          status: dto.status,
          reason: dto.reason,
          actor: { id: user.id, name: user.printedName },
          causedBy: { recordId: dto.recordId ?? null },
          client,
        }),
      );
      return this.get(id);
    });
  }
}
