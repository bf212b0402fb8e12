import { Body, Controller, HttpCode, Param, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiParam, ApiTags } from '@nestjs/swagger';
import type { UserWithRoles } from '../../db/repositories';
import { AdminReasonDto } from '../admin/admin.dto';
import { ADMINISTRATOR_ROLE } from '../admin/role-duties';
import { RequireRoles } from '../auth/auth.decorators';
import { ApiErrors } from '../common/api-errors';
import { Client, CurrentUser, type ClientInfo } from '../common/request-context';
import { defectCodePipe } from './defect-code.pipe';
import { DEFECT_CODE, DefineDefectCodeDto } from './defect-codes.dto';
import { DefectCodesService } from './defect-codes.service';
import { DefectCodeView } from './defect-codes.view';

/**
 * Managing the defect-code list: administrators, like the other managed lists (signature meanings,
 * training requirements; DESIGN.md "Roles"), each change with a reason (Annex 11 §9).
 */
@ApiTags('administration')
@Controller('api/admin/defect-codes')
@RequireRoles(ADMINISTRATOR_ROLE)
export class DefectCodesAdminController {
  constructor(private readonly codes: DefectCodesService) {}

  /** Adds a code, gives it a new description, or brings a retired code back: a new version each time. */
  @Post()
  @ApiCreatedResponse({ type: DefectCodeView })
  @ApiErrors(400, 401, 403, 409, 413, 415)
  define(@CurrentUser() admin: UserWithRoles, @Body() body: DefineDefectCodeDto, @Client() client: ClientInfo) {
    return this.codes.define(admin, body, client);
  }

  /** Retires a code: new NCMRs naming it are refused (422 unknown_defect_code); old records keep it. */
  @Post(':code/retire')
  @HttpCode(200)
  @ApiParam({ name: 'code', schema: { type: 'string', pattern: DEFECT_CODE.source } })
  @ApiOkResponse({ type: DefectCodeView })
  @ApiErrors(400, 401, 403, 404, 409, 413, 415)
  retire(@CurrentUser() admin: UserWithRoles, @Param('code', defectCodePipe) code: string, @Body() body: AdminReasonDto, @Client() client: ClientInfo) {
    return this.codes.retire(admin, code, body.reason, client);
  }
}
