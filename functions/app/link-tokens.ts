/**
 * Signed tokens for the links in emails (subscription confirmation, one-click unsubscribe).
 * HMAC-SHA256 over the purpose and the payload: a token for one purpose or one subscriber is
 * useless for another. Unsubscribe tokens never expire (RFC 8058 links must keep working);
 * confirmation tokens carry a signed expiry, so an old confirmation email cannot be replayed.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

/** `view` tokens sign `change:<id>` or `policy:<id>`: the diff pages, opened from emails without an API key. */
export type LinkPurpose = 'unsubscribe' | 'confirm' | 'view';

/**
 * A valid token's subject (a subscription id; `change:<id>` or `policy:<id>` for view links), or why
 * it was refused: forged, truncated or foreign, or genuine but past its expiry.
 */
export type LinkTokenCheck = { ok: true; subject: string } | { ok: false; reason: 'invalid' | 'expired' };

/**
 * `<payload as base64url>.<signature as base64url>`, URL-safe as is. The payload is the subject
 * (see LinkTokenCheck), followed by `\n<expiry in epoch seconds>` when `expiresAt` is given.
 */
export function signLinkToken(secret: string, purpose: LinkPurpose, subject: string, expiresAt?: Date): string {
  const plain = expiresAt === undefined ? subject : `${subject}\n${Math.floor(expiresAt.getTime() / 1000)}`;
  const payload = Buffer.from(plain, 'utf8').toString('base64url');
  return `${payload}.${signature(secret, purpose, payload)}`;
}

/** Checks the signature and, when the token carries one, the expiry against `now`. */
export function checkLinkToken(secret: string, purpose: LinkPurpose, token: string, now: Date): LinkTokenCheck {
  const [payload, given, ...rest] = token.split('.');
  if (payload === undefined || given === undefined || rest.length > 0 || payload === '') return { ok: false, reason: 'invalid' };
  const expected = Buffer.from(signature(secret, purpose, payload), 'utf8');
  const actual = Buffer.from(given, 'utf8');
  if (actual.length !== expected.length || !timingSafeEqual(actual, expected)) return { ok: false, reason: 'invalid' };
  const [subject = '', expiry] = Buffer.from(payload, 'base64url').toString('utf8').split('\n');
  // Checked only after the signature, so the expiry cannot be forged to tell the two apart.
  if (expiry !== undefined && Number(expiry) * 1000 <= now.getTime()) return { ok: false, reason: 'expired' };
  return { ok: true, subject };
}

/** The subject the token was signed for, or undefined for a bad, foreign or expired token. */
export function verifyLinkToken(secret: string, purpose: LinkPurpose, token: string, now: Date = new Date()): string | undefined {
  const result = checkLinkToken(secret, purpose, token, now);
  return result.ok ? result.subject : undefined;
}

/** A signed link to a diff page (`change` or `policy`), usable in a browser without an API key. */
export function signedViewUrl(publicBaseUrl: string, secret: string, kind: 'change' | 'policy', id: string): string {
  const token = signLinkToken(secret, 'view', `${kind}:${id}`);
  return `${publicBaseUrl}/${kind === 'change' ? 'changes' : 'policies'}/${encodeURIComponent(id)}/view?token=${token}`;
}

function signature(secret: string, purpose: LinkPurpose, payload: string): string {
  if (secret === '') throw new Error('The link signing secret is empty; set UNSUBSCRIBE_SECRET (local) or UNSUBSCRIBE_SECRET_PARAM (AWS)');
  return createHmac('sha256', secret).update(`${purpose}.${payload}`).digest('base64url');
}
