// The material side of the API (items, lots, production records, traces, defect codes), registered in
// api/app.module.ts as one list of controllers and one of providers.
import { DefectCodesAdminController } from './defect-codes-admin.controller';
import { DefectCodesController } from './defect-codes.controller';
import { DefectCodesService } from './defect-codes.service';
import { ItemsController } from './items.controller';
import { ItemsService } from './items.service';
import { LotsController } from './lots.controller';
import { LotsService } from './lots.service';
import { ProductionRecordsController } from './production-records.controller';
import { ProductionRecordsService } from './production-records.service';
import { TraceController } from './trace.controller';
import { TraceService } from './trace.service';

export const MATERIAL_CONTROLLERS = [
  ItemsController,
  LotsController,
  TraceController,
  ProductionRecordsController,
  DefectCodesController,
  DefectCodesAdminController,
];
export const MATERIAL_PROVIDERS = [ItemsService, LotsService, ProductionRecordsService, TraceService, DefectCodesService];
