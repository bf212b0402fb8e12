import argon2 from 'argon2';
import { hashPassword } from '../../signatures';
import { PasswordVerifier } from './password-verifier';

const parameters = (encoded: string) => encoded.split('$').slice(1, 4).join('$');

describe('PasswordVerifier', () => {
  afterEach(() => jest.restoreAllMocks());

  test('an unknown user costs one argon2id verification, against a dummy hash with the parameters of real ones, and never matches', async () => {
    const verifier = new PasswordVerifier();
    verifier.onModuleInit();
    const verify = jest.spyOn(argon2, 'verify');
    expect(await verifier.verify(undefined, 'any password')).toBe(false);
    expect(await verifier.verify(undefined, 'another password')).toBe(false);
    expect(verify).toHaveBeenCalledTimes(2);
    const dummy = verify.mock.calls[0]![0];
    expect(verify.mock.calls[1]![0]).toBe(dummy); // made once per process
    expect(parameters(dummy)).toBe(parameters(await hashPassword('real')));
    expect(parameters(dummy)).toMatch(/^argon2id\$v=19\$m=19456,p=1,t=2$/);
  });

  test('a real hash: one verification, true only for its password', async () => {
    const verifier = new PasswordVerifier();
    const stored = await hashPassword('correct horse');
    const verify = jest.spyOn(argon2, 'verify');
    expect(await verifier.verify(stored, 'correct horse')).toBe(true);
    expect(await verifier.verify(stored, 'wrong')).toBe(false);
    expect(verify).toHaveBeenCalledTimes(2);
    expect(verify.mock.calls.map((call) => call[0])).toEqual([stored, stored]);
  });
});
