import { Injectable } from '@nestjs/common';
import type { DatabaseHandle } from '../../db/client';
import { findDefectCode, listActiveDefectCodes, listDefectCodes, recordDefectCode } from '../../db/material';
import type { UserWithRoles } from '../../db/repositories';
import { AppError } from '../common/app-error';
import type { ClientInfo } from '../common/request-context';
import { InjectDatabase } from '../infrastructure';
import type { DefineDefectCodeDto } from './defect-codes.dto';
import { toDefectCodeView, type DefectCodeView } from './defect-codes.view';
import { refusalsAsAppErrors } from './material-error';

/**
 * The managed list of defect codes an NCMR names (db/material/defect-codes.ts). Every change is a
 * new version with its reason, audited; nothing is updated or deleted, so an old NCMR's code stays
 * readable after it is retired.
 */
@Injectable()
export class DefectCodesService {
  constructor(@InjectDatabase() private readonly database: DatabaseHandle) {}

  async list(includeRetired: boolean): Promise<DefectCodeView[]> {
    const codes = includeRetired ? await listDefectCodes(this.database.db) : await listActiveDefectCodes(this.database.db);
    return codes.map(toDefectCodeView);
  }

  /** Adds the code, describes it anew, or brings a retired code back (active again). */
  define(admin: UserWithRoles, dto: DefineDefectCodeDto, client: ClientInfo): Promise<DefectCodeView> {
    return refusalsAsAppErrors(() =>
      this.database.db.transaction(async (tx) => {
        const previous = await findDefectCode(tx, dto.code);
        if (previous?.active && previous.description === dto.description)
          throw new AppError('defect_code_unchanged', `Defect code ${dto.code} is active with this description already; nothing was recorded.`, {
            defectCode: dto.code,
          });
        const recorded = await recordDefectCode(tx, { ...dto, active: true, actor: { id: admin.id, name: admin.printedName }, client });
        return toDefectCodeView(recorded);
      }),
    );
  }

  /** Retires the code: new NCMRs cannot name it; records that name it keep it. */
  retire(admin: UserWithRoles, code: string, reason: string, client: ClientInfo): Promise<DefectCodeView> {
    return refusalsAsAppErrors(() =>
      this.database.db.transaction(async (tx) => {
        const previous = await findDefectCode(tx, code);
        if (!previous) throw new AppError('not_found', `No defect code ${code} on the managed list.`, { defectCode: code });
        if (!previous.active)
          throw new AppError('defect_code_unchanged', `Defect code ${code} is retired already; nothing was recorded.`, { defectCode: code });
        const recorded = await recordDefectCode(tx, {
          code,
          description: previous.description,
          active: false,
          reason,
          actor: { id: admin.id, name: admin.printedName },
          client,
        });
        return toDefectCodeView(recorded);
      }),
    );
  }
}
