import { isIP } from 'node:net';
import path from 'node:path';

/** Everything Attestflow reads from its environment, validated once at start. */
export interface AttestflowConfig {
  databaseUrl: string;
  redisUrl: string;
  /** Unset: `attestflow start` launches a Temporal dev server itself. */
  temporalAddress: string | undefined;
  temporalNamespace: string;
  temporalTaskQueue: string;
  temporalCliPath: string | undefined;
  temporalDevServerPort: number;
  /** A workflow bundle made by `attestflow bundle-workflows`; unset: bundled at worker start. */
  workflowBundlePath: string | undefined;
  host: string;
  port: number;
  dataDir: string;
  sessionIdleMinutes: number;
  sessionAbsoluteHours: number;
  cookieSecure: boolean;
  seedDemo: 'auto' | 'never';
  /** The organisation named in certificates and PDFs. */
  signingOrganisation: string;
  /** An existing organisation CA (PEM files); unset: created under DATA_DIR/pki on first start. */
  signingCaCertFile: string | undefined;
  signingCaKeyFile: string | undefined;
  /** IANA time zone in which PDFs print dates and times (always with the zone and offset). */
  timeZone: string;
  /** Prefix of this installation's BullMQ keys in Redis. */
  queuePrefix: string;
  /** Largest number of records one dossier may hold. */
  dossierMaxRecords: number;
  /**
   * How often the PDF generator writes its heartbeat to Redis (PDF_GENERATOR_HEARTBEAT_MS, default
   * 5000); /api/health calls it stale after three intervals without one.
   */
  pdfGeneratorHeartbeatMs: number;
  /**
   * `npm start` restarts a child process that stops (the PDF generator) after this delay
   * (CHILD_RESTART_DELAY_MS, default 1000), doubled after each quick failure up to 30 s.
   */
  childRestartDelayMs: number;
  /** Durations of the processes' durable timers (task due dates, reminders, escalation, waits). */
  processTiming: ProcessTiming;
  /**
   * How often the API signs a checkpoint of the audit chain's head (AUDIT_CHECKPOINT_INTERVAL, default
   * 5m), in milliseconds: events appended and deleted within one interval are not covered by one.
   */
  auditCheckpointIntervalMs: number;
  /** Requests per account and per client address before 429 rate_limited (RATE_LIMIT_*, e.g. "10/15m"). */
  rateLimits: RateLimits;
  /** Largest JSON request body in bytes (JSON_BODY_LIMIT, default 100kb). */
  jsonBodyLimit: number;
  /** Largest document file upload in bytes (UPLOAD_LIMIT, default 500mb), streamed to PostgreSQL, never held whole in memory. */
  uploadLimit: number;
  /** Largest PDF sent to POST /api/verify/pdf in bytes (PDF_VERIFICATION_LIMIT, default 50mb): it is parsed in memory. */
  pdfVerificationLimit: number;
  /**
   * Origins a browser may send writes from (PUBLIC_URL, comma-separated URLs); unset: http on
   * 127.0.0.1, localhost and [::1] (and HOST when it names one host) at the port the API listens on.
   */
  publicOrigins: string[] | undefined;
  /** Proxies whose X-Forwarded-For is believed (TRUSTED_PROXIES: addresses or CIDRs); empty: none. */
  trustedProxies: string[];
}

/** At most `limit` requests in `windowMs`; the next ones are refused until the window ends. */
export interface RateLimit {
  limit: number;
  windowMs: number;
}

/** The throttled actions: sign-in, e-signatures, TOTP codes, password resets and changes. */
export const RATE_LIMITED_ACTIONS = ['login', 'signing', 'totp', 'password_reset'] as const;
export type RateLimitedAction = (typeof RATE_LIMITED_ACTIONS)[number];
/** Each action is limited per account (username or signed-in person) and per client address. */
export type RateLimits = Record<RateLimitedAction, { perAccount: RateLimit; perClient: RateLimit }>;

/** Mirrors ProcessTiming of workflows/contracts/process-contracts.ts (the config must not import workflow code). */
export interface ProcessTiming {
  taskDue: string;
  reminderLead: string;
  escalationInterval: string;
  effectivenessWait: string;
  periodicReview: string;
}

export class ConfigError extends Error {
  constructor(
    readonly variable: string,
    problem: string,
  ) {
    super(`Configuration error: ${variable} ${problem}`);
    this.name = 'ConfigError';
  }
}

type Env = Record<string, string | undefined>;

function text(env: Env, name: string, fallback: string): string {
  const value = env[name];
  if (value === undefined || value === '') return fallback;
  return value;
}

function optionalText(env: Env, name: string): string | undefined {
  const value = env[name];
  return value === undefined || value === '' ? undefined : value;
}

function url(env: Env, name: string, fallback: string, protocols: string[]): string {
  const value = text(env, name, fallback);
  let parsed: URL;
  try {
    parsed = new URL(value);
  } catch {
    throw new ConfigError(name, `is not a valid URL (got "${value}")`);
  }
  if (!protocols.includes(parsed.protocol)) {
    throw new ConfigError(name, `must start with ${protocols.map((p) => `${p}//`).join(' or ')} (got "${value}")`);
  }
  return value;
}

function integer(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (!/^\d+$/.test(raw)) throw new ConfigError(name, `must be a whole number (got "${raw}")`);
  const value = Number(raw);
  if (value < min || value > max) throw new ConfigError(name, `must be between ${min} and ${max} (got ${value})`);
  return value;
}

function flag(env: Env, name: string, fallback: boolean): boolean {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (['true', '1', 'yes'].includes(raw.toLowerCase())) return true;
  if (['false', '0', 'no'].includes(raw.toLowerCase())) return false;
  throw new ConfigError(name, `must be true or false (got "${raw}")`);
}

function oneOf<T extends string>(env: Env, name: string, fallback: T, allowed: readonly T[]): T {
  const raw = text(env, name, fallback);
  if (!(allowed as readonly string[]).includes(raw)) {
    throw new ConfigError(name, `must be one of ${allowed.join(', ')} (got "${raw}")`);
  }
  return raw as T;
}

function hostPort(env: Env, name: string): string | undefined {
  const value = optionalText(env, name);
  if (value !== undefined && !/^[A-Za-z0-9.[\]:-]+:\d{1,5}$/.test(value)) {
    throw new ConfigError(name, `must be host:port, e.g. 127.0.0.1:7233 (got "${value}")`);
  }
  return value;
}

function caFiles(env: Env): { signingCaCertFile: string | undefined; signingCaKeyFile: string | undefined } {
  const signingCaCertFile = optionalText(env, 'SIGNING_CA_CERT_FILE');
  const signingCaKeyFile = optionalText(env, 'SIGNING_CA_KEY_FILE');
  if ((signingCaCertFile === undefined) !== (signingCaKeyFile === undefined)) {
    throw new ConfigError(signingCaCertFile ? 'SIGNING_CA_KEY_FILE' : 'SIGNING_CA_CERT_FILE', 'must be set together with the other SIGNING_CA_* file');
  }
  return { signingCaCertFile, signingCaKeyFile };
}

const DURATION_UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** A duration such as "90d", "10 days", "2h" or "500ms", normalised to what Temporal's timers accept. */
function duration(env: Env, name: string, fallback: string): string {
  const raw = text(env, name, fallback);
  const match = /^(\d+)\s*(ms|milliseconds?|s|seconds?|m|minutes?|h|hours?|d|days?)$/i.exec(raw.trim());
  const word = match?.[2]?.toLowerCase();
  const unit = word === undefined ? undefined : word === 'ms' || word.startsWith('milli') ? 'ms' : word[0];
  if (!match || !unit || !(unit in DURATION_UNITS) || Number(match[1]) <= 0) {
    throw new ConfigError(name, `must be a positive duration such as 90d, 10 days, 12h, 30m or 5s (got "${raw}")`);
  }
  return `${Number(match[1]) * DURATION_UNITS[unit]!}ms`;
}

function processTiming(env: Env): ProcessTiming {
  return {
    taskDue: duration(env, 'TASK_DUE', '10d'),
    reminderLead: duration(env, 'TASK_REMINDER_LEAD', '2d'),
    escalationInterval: duration(env, 'TASK_ESCALATION_INTERVAL', '3d'),
    effectivenessWait: duration(env, 'CAPA_EFFECTIVENESS_WAIT', '90d'),
    periodicReview: duration(env, 'DOCUMENT_PERIODIC_REVIEW', '730d'),
  };
}

function checkpointInterval(env: Env): number {
  const ms = parseInt(duration(env, 'AUDIT_CHECKPOINT_INTERVAL', '5m'), 10);
  if (ms < 1000) throw new ConfigError('AUDIT_CHECKPOINT_INTERVAL', `must be at least 1s (got ${ms}ms)`);
  return ms;
}

const SIZE_UNITS: Record<string, number> = { b: 1, kb: 1024, mb: 1024 ** 2, gb: 1024 ** 3 };

/** A size such as "100kb", "500mb", "1gb" or a number of bytes. */
function size(env: Env, name: string, fallback: string): number {
  const raw = text(env, name, fallback);
  const match = /^(\d+)\s*(b|kb|mb|gb)?$/i.exec(raw.trim());
  const bytes = match ? Number(match[1]) * SIZE_UNITS[(match[2] ?? 'b').toLowerCase()]! : NaN;
  if (!Number.isSafeInteger(bytes) || bytes <= 0) throw new ConfigError(name, `must be a positive size such as 100kb, 500mb or 1gb (got "${raw}")`);
  return bytes;
}

function list(env: Env, name: string): string[] {
  return text(env, name, '')
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '');
}

function publicOrigins(env: Env): string[] | undefined {
  const urls = list(env, 'PUBLIC_URL');
  if (urls.length === 0) return undefined;
  return urls.map((value) => {
    let parsed: URL;
    try {
      parsed = new URL(value);
    } catch {
      throw new ConfigError('PUBLIC_URL', `must be URLs such as https://qms.example.com, comma-separated (got "${value}")`);
    }
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:')
      throw new ConfigError('PUBLIC_URL', `must start with http:// or https:// (got "${value}")`);
    return parsed.origin;
  });
}

function trustedProxies(env: Env): string[] {
  return list(env, 'TRUSTED_PROXIES').map((entry) => {
    const [address, prefix, ...rest] = entry.split('/');
    const family = isIP(address ?? '');
    const bits = family === 4 ? 32 : 128;
    if (family === 0 || rest.length > 0 || (prefix !== undefined && (!/^\d{1,3}$/.test(prefix) || Number(prefix) > bits))) {
      throw new ConfigError('TRUSTED_PROXIES', `must be IP addresses or CIDRs such as 10.0.0.2 or 10.0.0.0/24, comma-separated (got "${entry}")`);
    }
    return entry;
  });
}

/** A rate limit written "<requests>/<duration>", e.g. "10/15m" or "30 / 1 minute". */
function rateLimit(env: Env, name: string, fallback: string): RateLimit {
  const raw = text(env, name, fallback);
  const [count, window, ...rest] = raw.split('/').map((part) => part.trim());
  const problem = `must be requests per duration such as 10/15m or 30/1m (got "${raw}")`;
  if (rest.length > 0 || !count || !/^\d+$/.test(count) || Number(count) < 1 || Number(count) > 1_000_000 || !window) throw new ConfigError(name, problem);
  let windowMs: number;
  try {
    windowMs = parseInt(duration({ [name]: window }, name, window), 10);
  } catch {
    throw new ConfigError(name, problem);
  }
  return { limit: Number(count), windowMs };
}

/**
 * Defaults: lockout after a few wrong passwords stops guessing at one account, so the per-account
 * limits bound the work and the audit rows a flood costs while leaving room for people who sign in
 * and sign often; the per-client ones leave room for a plant whose shift signs in through one address.
 */
function rateLimits(env: Env): RateLimits {
  const limits = (action: string, perAccount: string, perClient: string) => ({
    perAccount: rateLimit(env, `RATE_LIMIT_${action}_PER_ACCOUNT`, perAccount),
    perClient: rateLimit(env, `RATE_LIMIT_${action}_PER_CLIENT`, perClient),
  });
  return {
    login: limits('LOGIN', '30/15m', '60/1m'),
    signing: limits('SIGNING', '60/1m', '120/1m'),
    totp: limits('TOTP', '10/15m', '30/1m'),
    password_reset: limits('PASSWORD_RESET', '10/15m', '30/1m'),
  };
}

function timeZone(env: Env): string {
  const zone = text(env, 'TIME_ZONE', 'UTC');
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
  } catch {
    throw new ConfigError('TIME_ZONE', `is not an IANA time zone such as Europe/Berlin (got "${zone}")`);
  }
  return zone;
}

/** Reads and validates the configuration; throws ConfigError naming the first bad variable. */
export function loadConfig(env: Env = process.env): AttestflowConfig {
  return {
    databaseUrl: url(env, 'DATABASE_URL', 'postgres://postgres@127.0.0.1:5432/attestflow', ['postgres:', 'postgresql:']),
    redisUrl: url(env, 'REDIS_URL', 'redis://127.0.0.1:6379', ['redis:', 'rediss:']),
    temporalAddress: hostPort(env, 'TEMPORAL_ADDRESS'),
    temporalNamespace: text(env, 'TEMPORAL_NAMESPACE', 'default'),
    temporalTaskQueue: text(env, 'TEMPORAL_TASK_QUEUE', 'attestflow'),
    temporalCliPath: optionalText(env, 'TEMPORAL_CLI_PATH'),
    temporalDevServerPort: integer(env, 'TEMPORAL_DEV_SERVER_PORT', 7233, 1, 65535),
    workflowBundlePath: optionalText(env, 'TEMPORAL_WORKFLOW_BUNDLE'),
    host: text(env, 'HOST', '0.0.0.0'),
    port: integer(env, 'PORT', 3000, 0, 65535),
    dataDir: path.resolve(text(env, 'DATA_DIR', 'data')),
    sessionIdleMinutes: integer(env, 'SESSION_IDLE_MINUTES', 15, 1, 24 * 60),
    sessionAbsoluteHours: integer(env, 'SESSION_ABSOLUTE_HOURS', 12, 1, 24 * 7),
    cookieSecure: flag(env, 'COOKIE_SECURE', false),
    seedDemo: oneOf(env, 'SEED_DEMO', 'auto', ['auto', 'never'] as const),
    signingOrganisation: text(env, 'SIGNING_ORGANISATION', 'Attestflow Demo Organisation'),
    ...caFiles(env),
    timeZone: timeZone(env),
    dossierMaxRecords: integer(env, 'DOSSIER_MAX_RECORDS', 500, 1, 10_000),
    pdfGeneratorHeartbeatMs: integer(env, 'PDF_GENERATOR_HEARTBEAT_MS', 5000, 100, 60_000),
    childRestartDelayMs: integer(env, 'CHILD_RESTART_DELAY_MS', 1000, 0, 60_000),
    queuePrefix: text(env, 'QUEUE_PREFIX', 'attestflow'),
    processTiming: processTiming(env),
    auditCheckpointIntervalMs: checkpointInterval(env),
    rateLimits: rateLimits(env),
    jsonBodyLimit: size(env, 'JSON_BODY_LIMIT', '100kb'),
    uploadLimit: size(env, 'UPLOAD_LIMIT', '500mb'),
    pdfVerificationLimit: size(env, 'PDF_VERIFICATION_LIMIT', '50mb'),
    publicOrigins: publicOrigins(env),
    trustedProxies: trustedProxies(env),
  };
}
