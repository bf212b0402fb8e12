import { Injectable } from '@nestjs/common';
import type { DatabaseHandle } from '../../db/client';
import { activeMeanings, findAcknowledgement, markFirstSignature, type UserWithRoles } from '../../db/repositories';
import type { SessionRow, UserKeyRow } from '../../db/schema';
import { signManifestCms, type SignatureManifest } from '../../signatures/pki';
import { AuthService, type StartedReauthentication } from '../auth/auth.service';
import { FailedAttemptsService } from '../auth/failed-attempts.service';
import { AppError } from '../common/app-error';
import type { ClientInfo } from '../common/request-context';
import { InjectDatabase } from '../infrastructure';
import { OrganisationPkiService } from '../pki/organisation-pki.service';
import { UserKeysService } from '../pki/user-keys.service';
import { settled, valueOf, type Settled } from '../common/settled';

export interface CeremonyRequest {
  user: UserWithRoles;
  session: SessionRow;
  signatureId: string;
  password: string;
  /** Required on the first signature of a session (11.200(a)(1)(i)). */
  username: string | undefined;
  record: { id: string; number: string; version: number; contentHash: string };
  step: string;
  meaning: string;
  /** The meanings this step accepts. */
  allowedMeanings: readonly string[];
  comment: string | null;
  client: ClientInfo;
  /** The policy acknowledgement itself is the one signature that does not need a prior one. */
  requireAcknowledgement: boolean;
}

/**
 * The ceremony's costly parts for one signer and password (the two argon2id derivations) and the
 * reads its checks decide on, started before the caller knows whether the ceremony will be held at
 * all: nothing of it is decided, recorded or counted until `prepare` is given it, and when it is
 * not, it is dropped with the request (the key it may have opened included).
 */
export interface BegunCeremony {
  userId: string;
  opening: Promise<Settled<{ key: UserKeyRow; privateKeyPem: string }>>;
  reauthentication: StartedReauthentication;
  pendingInputs: ReturnType<AuthService['pendingInputs']>;
  acknowledgement: Promise<Settled<unknown>>;
  meanings: Promise<Settled<string[]>>;
}

export interface PreparedSignature {
  manifest: SignatureManifest;
  cms: string;
  certificateSerial: string;
}

/**
 * The signing ceremony up to the point where the workflow takes over (11.50, 11.70, 11.200):
 * re-authentication (user id too on the first signature of a session), account state, policy
 * acknowledgement, meaning, and the signer's own CMS signature over the canonical manifest, made
 * with a key only the signer's password opens. Authority, separation of duties, training and the
 * record version are checked again where the signature is written, in the same transaction.
 */
@Injectable()
export class SignatureCeremonyService {
  constructor(
    @InjectDatabase() private readonly database: DatabaseHandle,
    private readonly auth: AuthService,
    private readonly failures: FailedAttemptsService,
    private readonly keys: UserKeysService,
    private readonly pki: OrganisationPkiService,
  ) {}

  /** Starts what `prepare` will decide on for this signer and password (see BegunCeremony). */
  begin(userId: string, password: string, requireAcknowledgement: boolean): BegunCeremony {
    return {
      userId,
      opening: settled(this.keys.openForSigning(userId, password)),
      reauthentication: this.auth.startReauthentication(userId, password),
      pendingInputs: this.auth.pendingInputs(userId),
      acknowledgement: settled(requireAcknowledgement ? findAcknowledgement(this.database.db, userId) : Promise.resolve(undefined)),
      meanings: settled(activeMeanings(this.database.db)),
    };
  }

  /** `begun`: this request's `begin` for the same user, password and acknowledgement rule, started earlier. */
  async prepare(request: CeremonyRequest, begun?: BegunCeremony): Promise<PreparedSignature> {
    const { user, session, client } = request;
    if (begun && begun.userId !== user.id) throw new Error('The ceremony was begun for another user');
    const attempt = { recordId: request.record.id.length === 36 ? request.record.id : null, signatureId: request.signatureId, action: request.meaning };
    if (session.firstSignatureAt === null) {
      if (!request.username)
        throw new AppError('username_required', 'This is your first signature in this session: enter your username as well as your password.');
      if (request.username !== user.username) {
        const { locked } = await this.failures.record(
          user,
          {
            action: 'signature.failed',
            entityType: 'signature',
            entityId: request.signatureId,
            recordId: attempt.recordId,
            reason: 'username does not match the signed-in user',
            attempted: { attemptedAction: attempt.action, username: request.username },
          },
          client,
        );
        if (locked) throw new AppError('account_locked', 'Too many failed attempts: this account is now locked; nothing was signed.');
        throw new AppError('invalid_credentials', 'The username or password is wrong; nothing was signed.');
      }
    }
    // The signature's two argon2id derivations, the password check and the unsealing of the
    // signer's key, run side by side on the libuv pool. The key is used only once every check
    // below has passed; on any refusal it is dropped with the request, never kept.
    // The reads the checks below decide on start beside them too; each decides only in its turn.
    // Begun by the caller already, or here.
    const { opening, reauthentication, pendingInputs, acknowledgement, meanings } =
      begun ?? this.begin(user.id, request.password, request.requireAcknowledgement);
    const signer = await this.auth.reauthenticate(user, request.password, attempt, client, reauthentication);
    const pending = await this.auth.pendingFor(signer, pendingInputs);
    // 11.200(a): until the person completes an administrator's reset there is no signing key, and
    // nobody (the administrator holding the one-time password included) can sign in their name.
    if (pending.credentialReset)
      throw new AppError('reset_pending', 'Your password was reset by an administrator and the reset is not completed: nothing was signed.');
    if (pending.passwordChange) throw new AppError('password_change_required', 'Your password has expired or must be changed before you can sign.');
    if (request.requireAcknowledgement && !valueOf(await acknowledgement)) {
      throw new AppError('policy_not_acknowledged', 'Acknowledge the electronic signature policy (with your signature) before your first signature.');
    }
    if (!request.allowedMeanings.includes(request.meaning)) {
      throw new AppError('unknown_meaning', `Step "${request.step}" accepts the meanings: ${request.allowedMeanings.join(', ')}.`);
    }
    if (!valueOf(await meanings).includes(request.meaning)) {
      throw new AppError('unknown_meaning', `"${request.meaning}" is not an active signature meaning.`);
    }
    const opened = await opening;
    if (!opened.ok) throw opened.error;
    const { key, privateKeyPem } = opened.value;
    const manifest: SignatureManifest = {
      v: 1,
      signatureId: request.signatureId,
      recordId: request.record.id,
      recordNumber: request.record.number,
      recordVersion: request.record.version,
      contentHash: request.record.contentHash,
      signerId: signer.id,
      printedName: signer.printedName,
      meaning: request.meaning,
      comment: request.comment,
      signedAt: new Date().toISOString(),
      step: request.step,
    };
    const cms = signManifestCms({ manifest, certificatePem: key.certificatePem, privateKeyPem, caCertificatePem: this.pki.ca.certificatePem });
    return { manifest, cms, certificateSerial: key.serialHex };
  }

  /**
   * After the signature is stored: later signatures in this session need only the password. A
   * session that had signed already when this request began is left as it is (the time is set once
   * and never cleared), without a statement that would change nothing.
   */
  async completed(session: SessionRow): Promise<void> {
    if (session.firstSignatureAt !== null) return;
    await markFirstSignature(this.database.db, session.id, new Date());
  }
}
