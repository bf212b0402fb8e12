import { canonicalHash } from './canonical-json';

/**
 * The electronic-signature policy every person acknowledges, with a signature of their own, before
 * their first signature on a record (21 CFR 11.10(j), 11.100(c)). A new version requires a new
 * acknowledgement.
 */
export const ESIGNATURE_POLICY = {
  version: '1',
  title: 'Electronic signature policy',
  text: [
    'My electronic signature in Attestflow is the legally binding equivalent of my handwritten signature (21 CFR 11.100(c)).',
    'I will not share my password or second factor with anyone, and I will not let anyone sign in my name.',
    'Each time I sign, I have reviewed the record version shown and the meaning I select is what I intend.',
    'I will report a lost or compromised password or second factor to an administrator at once.',
    'I understand that every signature, failed attempt and change is recorded in the audit trail.',
  ].join('\n'),
} as const;

export const ESIGNATURE_POLICY_HASH = canonicalHash(ESIGNATURE_POLICY);
