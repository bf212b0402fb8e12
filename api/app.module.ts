import { Module, type DynamicModule } from '@nestjs/common';
import { APP_FILTER, APP_GUARD } from '@nestjs/core';
import { AdminController } from './admin/admin.controller';
import { AdminSettingsService } from './admin/admin-settings.service';
import { AdminUsersService } from './admin/admin-users.service';
import { AuthController } from './auth/auth.controller';
import { DocumentsController } from './documents/documents.controller';
import { DocumentsService } from './documents/documents.service';
import { PeriodicReviewService } from './documents/periodic-review.service';
import { DossiersController } from './dossiers/dossiers.controller';
import { DossiersService } from './dossiers/dossiers.service';
import { PdfVerificationController } from './records/pdf-verification.controller';
import { FailedAttemptsService } from './auth/failed-attempts.service';
import { PasswordPolicyService } from './auth/password-policy.service';
import { PasswordVerifier } from './auth/password-verifier';
import { TotpService } from './auth/totp.service';
import { OrganisationPkiService } from './pki/organisation-pki.service';
import { PkiController } from './pki/pki.controller';
import { UserKeysService } from './pki/user-keys.service';
import { EsignaturePolicyController } from './signing/esignature-policy.controller';
import { PolicyAcknowledgementService } from './signing/policy-acknowledgement.service';
import { SignatureCeremonyService } from './signing/signature-ceremony.service';
import { SignatureVerificationService } from './signing/signature-verification.service';
import { RecordSignaturesController, SignaturesController } from './signing/signatures.controller';
import { AuthService } from './auth/auth.service';
import { SessionGuard } from './auth/session.guard';
import { PROCESS_CONTROLLERS, PROCESS_PROVIDERS } from './processes/process.providers';
import { AppExceptionFilter } from './common/app-exception.filter';
import { HealthController } from './health/health.controller';
import { InboxController } from './inbox/inbox.controller';
import { InboxService } from './inbox/inbox.service';
import { infrastructureProviders, type AppSettings } from './infrastructure';
import { RecordsController } from './records/records.controller';
import { RecordListService } from './records/record-list.service';
import { RecordVersionsService } from './records/record-versions.service';
import { TemporalWorkerService } from './temporal/temporal-worker.service';
import { AuditCheckpointService } from './pki/audit-checkpoint.service';
import { MATERIAL_CONTROLLERS, MATERIAL_PROVIDERS } from './material/material.providers';
import { rateLimitProviders } from './throttling/rate-limit.providers';

@Module({})
export class AppModule {
  static forRoot(settings: AppSettings): DynamicModule {
    return {
      module: AppModule,
      controllers: [
        HealthController,
        AuthController,
        InboxController,
        ...PROCESS_CONTROLLERS,
        RecordsController,
        AdminController,
        PkiController,
        SignaturesController,
        RecordSignaturesController,
        EsignaturePolicyController,
        DossiersController,
        DocumentsController,
        PdfVerificationController,
        ...MATERIAL_CONTROLLERS,
      ],
      providers: [
        ...infrastructureProviders(settings),
        ...rateLimitProviders,
        PasswordPolicyService,
        PasswordVerifier,
        FailedAttemptsService,
        AuthService,
        TotpService,
        OrganisationPkiService,
        UserKeysService,
        SignatureCeremonyService,
        SignatureVerificationService,
        PolicyAcknowledgementService,
        AdminUsersService,
        AdminSettingsService,
        ...PROCESS_PROVIDERS,
        DossiersService,
        DocumentsService,
        PeriodicReviewService,
        RecordListService,
        RecordVersionsService,
        InboxService,
        TemporalWorkerService,
        AuditCheckpointService,
        ...MATERIAL_PROVIDERS,
        { provide: APP_GUARD, useClass: SessionGuard },
        { provide: APP_FILTER, useClass: AppExceptionFilter },
      ],
    };
  }
}
