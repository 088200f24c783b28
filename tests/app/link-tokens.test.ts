import { describe, expect, it } from 'vitest';
import { signLinkToken, verifyLinkToken } from '../../functions/app/link-tokens.ts';

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
