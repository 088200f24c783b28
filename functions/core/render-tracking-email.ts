/**
 * "Tracking broken" / "tracking restored" emails: a policy could not be checked N times in a row,
 * or can be checked again. Pure, like render-email.ts: the caller passes the links, already
 * signed. Subscribers learn that silence from the monitor no longer means "nothing changed".
 */
import { escapeHtml } from './render-email.ts';
import type { AlertEmail } from './render-email.ts';

export interface TrackingEmailInput {
  kind: 'broken' | 'restored';
  policyName: string;
  policyUrl: string;
  /** Machine-readable reason of the latest failure, e.g. "bot-challenge", "http-503". */
  reason: string;
  /** One line on what was seen, e.g. "Cloudflare challenge (412 characters of text)". */
  detail: string;
  /** Failed checks in a row (broken) or before the recovery (restored). */
  failures: number;
  /** ISO time of the first failure in the run. */
  failingSince: string;
  /** The policy's check history, e.g. `${PUBLIC_BASE_URL}/policies/{id}/checks`. */
  statusUrl: string;
  /** The subscriber's signed one-click unsubscribe link (RFC 8058). */
  unsubscribeUrl: string;
}

const STYLE = {
  body: 'font-family:-apple-system,Segoe UI,Helvetica,Arial,sans-serif;font-size:15px;line-height:1.5;color:#1f2933;max-width:640px;margin:0 auto;padding:16px',
  title: 'font-size:20px;margin:0 0 12px',
  footer: 'font-size:12px;color:#7b8794;border-top:1px solid #e4e7eb;margin-top:24px;padding-top:12px',
} as const;

/** One email per subscriber when tracking of a policy breaks or recovers. */
export function renderTrackingEmail(input: TrackingEmailInput): AlertEmail {
  const { kind, policyName, policyUrl, reason, detail, failures, failingSince, statusUrl, unsubscribeUrl } = input;
  // One line whatever the policy's name holds: a subject is a mail header.
  const name = policyName.replace(/[\u0000-\u001f\u007f]+/g, ' ').trim();
  const subject = kind === 'broken' ? `${name}: tracking broken (${reason})` : `${name}: tracking restored`;
  const lead =
    kind === 'broken'
      ? `The last ${failures} checks of ${policyName} failed, the first at ${failingSince}. Until a check succeeds, changes to this policy cannot be detected.`
      : `${policyName} can be checked again after ${failures} failed checks since ${failingSince}. Changes are detected again from now on.`;
  const why = kind === 'broken' ? `Latest failure: ${reason}: ${detail}` : `Last failure was: ${reason}: ${detail}`;
  const html = [
    '<!doctype html>',
    `<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(subject)}</title></head>`,
    `<body style="${STYLE.body}">`,
    `<h1 style="${STYLE.title}">${escapeHtml(subject)}</h1>`,
    `<p>${escapeHtml(lead)}</p>`,
    `<p>${escapeHtml(why)}</p>`,
    `<p>Policy: <a href="${escapeHtml(policyUrl)}">${escapeHtml(policyUrl)}</a><br>Check history: <a href="${escapeHtml(statusUrl)}">${escapeHtml(statusUrl)}</a></p>`,
    `<p style="${STYLE.footer}">You receive this because you subscribed to changes of ${escapeHtml(policyName)}. `,
    `<a href="${escapeHtml(unsubscribeUrl)}" style="color:#7b8794">Unsubscribe</a></p>`,
    '</body></html>',
  ].join('\n');
  const text = [subject, '', lead, '', why, '', `Policy: ${policyUrl}`, `Check history: ${statusUrl}`, '', `Unsubscribe: ${unsubscribeUrl}`, ''].join('\n');
  return {
    subject,
    html,
    text,
    headers: { 'List-Unsubscribe': `<${unsubscribeUrl}>`, 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' },
  };
}
