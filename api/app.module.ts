import { Module, type DynamicModule } from '@nestjs/common';
import { APP_FILTER, APP_GUARD } from '@nestjs/core';
import { AuthController } from './auth/auth.controller';
import { AuthService } from './auth/auth.service';
import { SessionGuard } from './auth/session.guard';
import { ChangeControlController } from './change-control/change-control.controller';
import { ChangeControlService } from './change-control/change-control.service';
import { AppExceptionFilter } from './common/app-exception.filter';
import { HealthController } from './health/health.controller';
import { InboxController } from './inbox/inbox.controller';
import { infrastructureProviders, type AppSettings } from './infrastructure';
import { RecordsController } from './records/records.controller';
import { TemporalWorkerService } from './temporal/temporal-worker.service';

@Module({})
export class AppModule {
  static forRoot(settings: AppSettings): DynamicModule {
    return {
      module: AppModule,
      controllers: [HealthController, AuthController, InboxController, ChangeControlController, RecordsController],
      providers: [
        ...infrastructureProviders(settings),
        AuthService,
        ChangeControlService,
        TemporalWorkerService,
        { provide: APP_GUARD, useClass: SessionGuard },
        { provide: APP_FILTER, useClass: AppExceptionFilter },
      ],
    };
  }
}
