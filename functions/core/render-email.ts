/**
 * One change → one alert email (subject, HTML, plain text, List-Unsubscribe headers). Pure: the
 * caller passes the links, already signed. The HTML uses inline styles only, because most mail
 * clients drop <style> blocks; every interpolated value is escaped.
 */
import { describeObligation } from './obligations.ts';
import type { Change } from './types.ts';
import { markChangedWords, type MarkedRun } from './word-marks.ts';

export interface AlertEmailInput {
  policyName: string;
  change: Pick<Change, 'sectionPath' | 'previousPath' | 'kind' | 'categories' | 'severity' | 'before' | 'after' | 'obligations' | 'diff'>;
  /** The diff page of this change: `${PUBLIC_BASE_URL}/changes/${changeId}/view`. */
  viewUrl: string;
  /** The subscriber's signed one-click unsubscribe link (RFC 8058). */
  unsubscribeUrl: string;
}

export interface AlertEmail {
  subject: string;
  html: string;
  text: string;
  headers: Record<string, string>;
}

/** Categories named in the subject before it says "and N more". */
const SUBJECT_CATEGORIES = 3;

export const KIND_LABELS: Record<Change['kind'], string> = {
  added: 'section added',
  removed: 'section removed',
  modified: 'clause changed',
  moved: 'section moved',
  renamed: 'section renamed',
};

/** Inline styles shared by the emails (render-digest.ts too): mail clients drop <style> blocks. */
export const STYLE = {
  body: 'font-family:-apple-system,Segoe UI,Helvetica,Arial,sans-serif;font-size:15px;line-height:1.5;color:#1f2933;max-width:640px;margin:0 auto;padding:16px',
  eyebrow: 'font-size:13px;color:#52606d;margin:0 0 4px',
  title: 'font-size:20px;margin:0 0 12px',
  heading: 'font-size:15px;margin:20px 0 6px',
  chip: 'display:inline-block;background:#e4e7eb;border-radius:10px;padding:1px 8px;margin:0 4px 4px 0;font-size:13px',
  obligations: 'margin:0;padding-left:20px',
  before: 'background:#fdecea;border-left:4px solid #d64545;padding:8px 12px;white-space:pre-wrap;margin:0',
  after: 'background:#e3f9e5;border-left:4px solid #3f9142;padding:8px 12px;white-space:pre-wrap;margin:0',
  removed: 'background:#f8b4b4;text-decoration:line-through',
  added: 'background:#a8e6b0;text-decoration:none',
  button: 'display:inline-block;background:#2f5c9e;color:#ffffff;text-decoration:none;padding:8px 16px;border-radius:4px',
  footer: 'font-size:12px;color:#7b8794;border-top:1px solid #e4e7eb;margin-top:24px;padding-top:12px',
} as const;

/** The alert for one change: obligation deltas first, then the clause before and after. */
export function renderAlertEmail(input: AlertEmailInput): AlertEmail {
  const { policyName, change, viewUrl, unsubscribeUrl } = input;
  const subject = `${policyName}: ${subjectCategories(change.categories)} changed`;
  const section = change.sectionPath.join(' › ');
  const previous = change.previousPath && change.previousPath.join(' › ') !== section ? change.previousPath.join(' › ') : undefined;
  const obligations = change.obligations.map(describeObligation);
  const marked = markChangedWords(change.before, change.after, change.diff);

  const html = [
    '<!doctype html>',
    `<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width"><title>${escapeHtml(subject)}</title></head>`,
    '<body style="margin:0;background:#ffffff">',
    `<div style="${STYLE.body}">`,
    `<p style="${STYLE.eyebrow}">Policy change detected · ${escapeHtml(KIND_LABELS[change.kind])} · severity ${escapeHtml(change.severity)}</p>`,
    `<h1 style="${STYLE.title}">${escapeHtml(policyName)}</h1>`,
    `<p style="margin:0 0 8px">Section: <strong>${escapeHtml(section)}</strong>${previous ? ` (was: ${escapeHtml(previous)})` : ''}</p>`,
    `<p style="margin:0 0 8px">${change.categories.map((category) => `<span style="${STYLE.chip}">${escapeHtml(category)}</span>`).join('')}</p>`,
    obligations.length > 0
      ? `<h2 style="${STYLE.heading}">Obligations that changed</h2><ul style="${STYLE.obligations}">${obligations.map((line) => `<li>${escapeHtml(line)}</li>`).join('')}</ul>`
      : '',
    `<h2 style="${STYLE.heading}">Before</h2>`,
    `<p style="${STYLE.before}">${change.before === null ? '(no such section)' : runsToHtml(marked.before, 'del')}</p>`,
    `<h2 style="${STYLE.heading}">After</h2>`,
    `<p style="${STYLE.after}">${change.after === null ? '(section removed)' : runsToHtml(marked.after, 'ins')}</p>`,
    `<p style="margin:20px 0"><a href="${escapeHtml(viewUrl)}" style="${STYLE.button}">View the full diff</a></p>`,
    `<p style="${STYLE.footer}">You receive this because you subscribed to changes of ${escapeHtml(policyName)}. `,
    `<a href="${escapeHtml(unsubscribeUrl)}" style="color:#7b8794">Unsubscribe</a></p>`,
    '</div>',
    '</body></html>',
  ].join('\n');

  const text = [
    subject,
    '',
    `Section: ${section}${previous ? ` (was: ${previous})` : ''}`,
    `Change: ${KIND_LABELS[change.kind]}, severity ${change.severity}`,
    `Categories: ${change.categories.join(', ') || 'none'}`,
    ...(obligations.length > 0 ? ['', 'Obligations that changed:', ...obligations.map((line) => `- ${line}`)] : []),
    '',
    'Before:',
    quote(change.before ?? '(no such section)'),
    '',
    'After:',
    quote(change.after ?? '(section removed)'),
    '',
    `Full diff: ${viewUrl}`,
    '',
    '--',
    `Unsubscribe: ${unsubscribeUrl}`,
    '',
  ].join('\n');

  return {
    subject,
    html,
    text,
    headers: listUnsubscribeHeaders(unsubscribeUrl),
  };
}

/** RFC 8058 one-click unsubscribe: mail clients show a button and POST to the signed link. */
export function listUnsubscribeHeaders(unsubscribeUrl: string): Record<string, string> {
  return { 'List-Unsubscribe': `<${unsubscribeUrl}>`, 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' };
}

/** "retention", "retention and sharing", "use, sharing and sale", "use, sharing, sale and 2 more". */
function subjectCategories(categories: readonly string[]): string {
  if (categories.length === 0) return 'policy text';
  if (categories.length > SUBJECT_CATEGORIES) return `${categories.slice(0, SUBJECT_CATEGORIES).join(', ')} and ${categories.length - SUBJECT_CATEGORIES} more`;
  return joinWithAnd(categories);
}

function joinWithAnd(items: readonly string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

export interface ConfirmationEmailInput {
  /** Names of the policies subscribed to, or 'all'. */
  policies: readonly string[] | 'all';
  categories: readonly string[] | 'material';
  /** The signed confirmation link: `${PUBLIC_BASE_URL}/subscriptions/confirm?token=…`. */
  confirmUrl: string;
  /** When the link stops working (ISO). */
  expiresAt: string;
  /** `daily`: the changes come in one digest a day. @default 'each' */
  delivery?: 'each' | 'daily';
}

/** The double opt-in email: what was asked for, and the one link that turns it on. */
export function renderConfirmationEmail(input: ConfirmationEmailInput): Omit<AlertEmail, 'headers'> {
  const what = input.policies === 'all' ? 'every tracked policy' : joinWithAnd(input.policies);
  const which = input.categories === 'material' ? 'every material change' : `changes to ${joinWithAnd(input.categories)}`;
  const until = input.expiresAt.slice(0, 10);
  const how = input.delivery === 'daily' ? ', in one digest a day' : '';
  const subject = 'Confirm your policy-change alerts';
  const html = [
    '<!doctype html>',
    `<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width"><title>${escapeHtml(subject)}</title></head>`,
    '<body style="margin:0;background:#ffffff">',
    `<div style="${STYLE.body}">`,
    `<h1 style="${STYLE.title}">${escapeHtml(subject)}</h1>`,
    `<p style="margin:0 0 8px">Someone (hopefully you) asked to be emailed about ${escapeHtml(which)} of ${escapeHtml(what)}${how}.</p>`,
    `<p style="margin:0 0 8px">Nothing will be sent to this address until you confirm.</p>`,
    `<p style="margin:20px 0"><a href="${escapeHtml(input.confirmUrl)}" style="${STYLE.button}">Confirm subscription</a></p>`,
    `<p style="${STYLE.footer}">The link works until ${escapeHtml(until)}. If you did not ask for this, ignore this email.</p>`,
    '</div>',
    '</body></html>',
  ].join('\n');
  const text = [
    subject,
    '',
    `Someone (hopefully you) asked to be emailed about ${which} of ${what}${how}.`,
    'Nothing will be sent to this address until you confirm:',
    '',
    input.confirmUrl,
    '',
    `The link works until ${until}. If you did not ask for this, ignore this email.`,
    '',
  ].join('\n');
  return { subject, html, text };
}

/** Marked runs as HTML: changed words in <del> (before, red) or <ins> (after, green). */
export function runsToHtml(runs: readonly MarkedRun[], tag: 'del' | 'ins'): string {
  const style = tag === 'del' ? STYLE.removed : STYLE.added;
  return runs.map((run) => (run.changed ? `<${tag} style="${style}">${escapeHtml(run.text)}</${tag}>` : escapeHtml(run.text))).join('');
}

export function quote(text: string): string {
  return text
    .split('\n')
    .map((line) => `> ${line}`)
    .join('\n');
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (character) => HTML_ENTITIES[character] as string);
}

const HTML_ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
