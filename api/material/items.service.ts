import { Injectable } from '@nestjs/common';
import type { DatabaseHandle } from '../../db/client';
import { createItem, findItemWithBom, listItems } from '../../db/material';
import type { UserWithRoles } from '../../db/repositories';
import { AppError } from '../common/app-error';
import type { ClientInfo } from '../common/request-context';
import { InjectDatabase } from '../infrastructure';
import type { CreateItemDto } from './items.dto';
import { refusalsAsAppErrors } from './material-error';
import { quantityText } from './material.dto';
import { toItemDetailView, toItemView, type ItemDetailView, type ItemView } from './items.view';

/** The item master: part revisions and their bills of materials. */
@Injectable()
export class ItemsService {
  constructor(@InjectDatabase() private readonly database: DatabaseHandle) {}

  create(user: UserWithRoles, dto: CreateItemDto, client: ClientInfo): Promise<ItemDetailView> {
    const components = dto.billOfMaterials.map((l) => l.componentItemId);
    if (new Set(components).size !== components.length) {
      throw new AppError('validation_failed', 'The bill of materials names a component twice: give each component once, with its total quantity per unit.');
    }
    return refusalsAsAppErrors(async () => {
      const item = await this.database.db.transaction((tx) =>
        createItem(
          tx,
          { ...dto, billOfMaterials: dto.billOfMaterials.map((l) => ({ componentItemId: l.componentItemId, quantityPer: quantityText(l.quantityPer) })) },
          { id: user.id, name: user.printedName },
          client,
        ),
      );
      return toItemDetailView(item);
    });
  }

  async list(): Promise<ItemView[]> {
    return (await listItems(this.database.db)).map(toItemView);
  }

  async get(id: string): Promise<ItemDetailView> {
    const item = await findItemWithBom(this.database.db, id);
    if (!item) throw new AppError('unknown_item', `No item with id ${id}.`);
    return toItemDetailView(item);
  }
}
