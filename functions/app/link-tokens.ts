/**
 * Signed tokens for the links in emails (one-click unsubscribe, later subscription confirmation).
 * HMAC-SHA256 over the purpose and the subscription id: a token for one purpose or one
 * subscriber is useless for another. No expiry: RFC 8058 unsubscribe links must keep working.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

export type LinkPurpose = 'unsubscribe' | 'confirm';

/** `<subscriptionId as base64url>.<signature as base64url>`, URL-safe as is. */
export function signLinkToken(secret: string, purpose: LinkPurpose, subscriptionId: string): string {
  const payload = Buffer.from(subscriptionId, 'utf8').toString('base64url');
  return `${payload}.${signature(secret, purpose, payload)}`;
}

/** The subscription id the token was signed for, or undefined for a bad or foreign token. */
export function verifyLinkToken(secret: string, purpose: LinkPurpose, token: string): string | undefined {
  const [payload, given, ...rest] = token.split('.');
  if (payload === undefined || given === undefined || rest.length > 0 || payload === '') return undefined;
  const expected = Buffer.from(signature(secret, purpose, payload), 'utf8');
  const actual = Buffer.from(given, 'utf8');
  if (actual.length !== expected.length || !timingSafeEqual(actual, expected)) return undefined;
  return Buffer.from(payload, 'base64url').toString('utf8');
}

function signature(secret: string, purpose: LinkPurpose, payload: string): string {
  if (secret === '') throw new Error('The link signing secret is empty; set UNSUBSCRIBE_SECRET (local) or UNSUBSCRIBE_SECRET_PARAM (AWS)');
  return createHmac('sha256', secret).update(`${purpose}.${payload}`).digest('base64url');
}
