import { describe, expect, it } from 'vitest';
import { checkLinkToken, signLinkToken, verifyLinkToken } from '../../functions/app/link-tokens.ts';

describe('link tokens', () => {
  it('round-trips the subscription id', () => {
    expect(verifyLinkToken('k', 'unsubscribe', signLinkToken('k', 'unsubscribe', 'sub-1'))).toBe('sub-1');
  });

  it('rejects a token signed with another key, for another purpose, or tampered with', () => {
    const token = signLinkToken('k', 'unsubscribe', 'sub-1');
    const forged = `${Buffer.from('sub-2').toString('base64url')}.${token.split('.')[1]}`;
    expect(verifyLinkToken('other', 'unsubscribe', token)).toBeUndefined();
    expect(verifyLinkToken('k', 'confirm', token)).toBeUndefined();
    expect(verifyLinkToken('k', 'unsubscribe', forged)).toBeUndefined();
    expect(verifyLinkToken('k', 'unsubscribe', 'garbage')).toBeUndefined();
  });

  it('refuses to sign with an empty key', () => {
    expect(() => signLinkToken('', 'unsubscribe', 'sub-1')).toThrow(/secret is empty/);
  });
});

describe('expiring link tokens', () => {
  it('accepts a confirmation token until its expiry, then reports it expired (not forged)', () => {
    const token = signLinkToken('k', 'confirm', 'sub-1', new Date('2024-05-09T00:00:00.000Z'));
    expect(checkLinkToken('k', 'confirm', token, new Date('2024-05-08T23:59:59.000Z'))).toEqual({ ok: true, subject: 'sub-1' });
    expect(checkLinkToken('k', 'confirm', token, new Date('2024-05-09T00:00:00.000Z'))).toEqual({ ok: false, reason: 'expired' });
  });

  it('refuses a token whose expiry was pushed back', () => {
    const token = signLinkToken('k', 'confirm', 'sub-1', new Date('2024-05-09T00:00:00.000Z'));
    const [, signature] = token.split('.');
    const extended = `${Buffer.from('sub-1\n9999999999').toString('base64url')}.${signature}`;
    expect(checkLinkToken('k', 'confirm', extended, new Date('2024-05-10T00:00:00.000Z'))).toEqual({ ok: false, reason: 'invalid' });
  });
});
