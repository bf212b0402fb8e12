import { Inject, Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import type { DatabaseHandle } from '../../db/client';
import { revokedSerials } from '../../db/repositories';
import { createCrl } from '../../signatures/pki';
import { InjectDatabase, SETTINGS, type AppSettings } from '../infrastructure';
import { loadOrCreateOrganisationCa, type OrganisationCa } from '../../config/pki-store';

/** The organisation CA, loaded (or created on first start) when the application boots. */
@Injectable()
export class OrganisationPkiService implements OnModuleInit {
  private readonly logger = new Logger('PKI');
  private loaded?: OrganisationCa;

  constructor(
    @Inject(SETTINGS) private readonly settings: AppSettings,
    @InjectDatabase() private readonly database: DatabaseHandle,
  ) {}

  onModuleInit(): void {
    this.loaded = loadOrCreateOrganisationCa(this.settings.config);
    if (this.loaded.source === 'created') this.logger.log(`Created the organisation CA in ${this.loaded.directory} (keep ca-key.pem safe and backed up)`);
  }

  get ca(): OrganisationCa {
    if (!this.loaded) throw new Error('The organisation CA is not loaded yet');
    return this.loaded;
  }

  async revokedSerials(): Promise<{ serialHex: string; revokedAt: Date; reason: string }[]> {
    return revokedSerials(this.database.db);
  }

  async crlPem(): Promise<string> {
    return createCrl(this.ca, await this.revokedSerials(), { now: new Date() });
  }
}
