import { Body, Controller, Get, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsOptional, IsString, IsUUID, MaxLength, MinLength } from 'class-validator';
import type { UserWithRoles } from '../../db/repositories';
import type { SessionRow } from '../../db/schema';
import { ESIGNATURE_POLICY, ESIGNATURE_POLICY_HASH } from '../../signatures/esignature-policy';
import { Client, CurrentSession, CurrentUser, type ClientInfo } from '../common/request-context';
import { RateLimited } from '../throttling/rate-limited.decorator';
import { PolicyAcknowledgementService } from './policy-acknowledgement.service';
import { ApiErrors } from '../common/api-errors';
import { EsignaturePolicyView, PolicyAcknowledgementView } from './signing.view';

export class AcknowledgePolicyDto {
  @ApiProperty() @IsUUID() signatureId!: string;
  @ApiProperty() @IsString() @MinLength(1) @MaxLength(1000) password!: string;
  @ApiPropertyOptional({ description: 'Required on the first signature of a session' }) @IsOptional() @IsString() @MaxLength(200) username?: string;
}

@ApiTags('e-signature policy')
@Controller('api/esignature-policy')
@ApiErrors(401, 403)
export class EsignaturePolicyController {
  constructor(private readonly acknowledgements: PolicyAcknowledgementService) {}

  @Get()
  @ApiOkResponse({ type: EsignaturePolicyView })
  async policy(@CurrentUser() user: UserWithRoles) {
    return { ...ESIGNATURE_POLICY, hash: ESIGNATURE_POLICY_HASH, acknowledgement: await this.acknowledgements.find(user.id) };
  }

  /** Acknowledge the policy with one's own e-signature (meaning "acknowledged"); needed once before signing records. */
  @Post('acknowledgements')
  @ApiCreatedResponse({ type: PolicyAcknowledgementView, description: 'Acknowledged (or acknowledged before: that acknowledgement)' })
  @ApiErrors(400, 409, 413, 415, 422, 423, 429)
  @RateLimited('signing')
  acknowledge(@CurrentUser() user: UserWithRoles, @CurrentSession() session: SessionRow, @Body() body: AcknowledgePolicyDto, @Client() client: ClientInfo) {
    return this.acknowledgements.acknowledge(user, session, body, client);
  }
}
