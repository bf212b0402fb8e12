import { Injectable } from '@nestjs/common';
import type { DatabaseHandle } from '../../db/client';
import { appendAuditEvent, dutyLimits, findAcknowledgement, insertAcknowledgement, type UserWithRoles } from '../../db/repositories';
import type { SessionRow } from '../../db/schema';
import { ESIGNATURE_POLICY, ESIGNATURE_POLICY_HASH } from '../../signatures/esignature-policy';
import { sqlStateOf } from '../../db/sql-state';
import { AppError } from '../common/app-error';
import type { ClientInfo } from '../common/request-context';
import { InjectDatabase } from '../infrastructure';
import { AuthService } from '../auth/auth.service';
import { SignatureCeremonyService } from './signature-ceremony.service';

const POLICY_RECORD = { id: 'esignature-policy', number: `ESIG-POLICY-v${ESIGNATURE_POLICY.version}`, version: 1, contentHash: ESIGNATURE_POLICY_HASH };

/** The once-per-person signed acknowledgement of the e-signature policy (11.10(j), 11.100(c)). */
@Injectable()
export class PolicyAcknowledgementService {
  constructor(
    @InjectDatabase() private readonly database: DatabaseHandle,
    private readonly ceremony: SignatureCeremonyService,
    private readonly auth: AuthService,
  ) {}

  async find(userId: string) {
    const row = await findAcknowledgement(this.database.db, userId);
    return row ? { id: row.id, policyVersion: row.policyVersion, signedAt: row.signedAt.toISOString(), certificateSerial: row.certificateSerial } : null;
  }

  async acknowledge(user: UserWithRoles, session: SessionRow, input: { signatureId: string; password: string; username?: string }, client: ClientInfo) {
    // The acknowledgement is the first signature a signer makes; auditors and administrators never sign.
    const { mayNotSign } = await dutyLimits(this.database.db, user.roles);
    if (mayNotSign.length) {
      throw new AppError('role_may_not_sign', `You hold the role ${mayNotSign.join(', ')}, which never signs: there is no e-signature policy to acknowledge.`, {
        roles: mayNotSign,
      });
    }
    const existing = await this.find(user.id);
    if (existing) {
      // Acknowledged once already: the password is still checked (and a wrong one audited), nothing is signed again.
      await this.auth.reauthenticate(user, input.password, { recordId: null, signatureId: input.signatureId, action: 'acknowledged' }, client);
      return existing;
    }
    const signed = await this.ceremony.prepare({
      user,
      session,
      signatureId: input.signatureId,
      password: input.password,
      username: input.username,
      record: POLICY_RECORD,
      step: 'acknowledgement',
      meaning: 'acknowledged',
      allowedMeanings: ['acknowledged'],
      comment: null,
      client,
      requireAcknowledgement: false,
    });
    const at = new Date(signed.manifest.signedAt);
    await this.database.db
      .transaction(async (tx) => {
        await insertAcknowledgement(tx, {
          id: input.signatureId,
          userId: user.id,
          policyVersion: ESIGNATURE_POLICY.version,
          policyHash: ESIGNATURE_POLICY_HASH,
          manifest: signed.manifest,
          cms: signed.cms,
          certificateSerial: signed.certificateSerial,
          signedAt: at,
          ...client,
        });
        await appendAuditEvent(tx, {
          occurredAt: at,
          actorId: user.id,
          actorName: user.printedName,
          action: 'policy.acknowledged',
          entityType: 'esignature_policy',
          entityId: POLICY_RECORD.number,
          newValue: { signatureId: input.signatureId, policyHash: ESIGNATURE_POLICY_HASH, certificateSerial: signed.certificateSerial },
          ...client,
        });
      })
      .catch((error: unknown) => {
        // The signature id is another person's acknowledgement (or this person's, made a moment ago).
        if (sqlStateOf(error) === '23505') {
          throw new AppError('signature_id_conflict', 'This signature id is already used by another signature; nothing was signed. Choose a new id.');
        }
        throw error;
      });
    await this.ceremony.completed(session);
    return this.find(user.id);
  }
}
