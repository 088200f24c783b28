/**
 * A day's changes → one digest email for a subscriber who chose `delivery: "daily"`. Pure, like
 * render-email.ts, whose pieces it reuses so that a change reads the same in both: obligation
 * deltas first, then the clause before and after with the changed words marked, then the signed
 * link to the change's diff page. The caller passes the links, already signed.
 */
import { describeObligation } from './obligations.ts';
import { escapeHtml, KIND_LABELS, listUnsubscribeHeaders, quote, runsToHtml, STYLE, type AlertEmail, type AlertEmailInput } from './render-email.ts';
import { markChangedWords } from './word-marks.ts';

export interface DigestEntry {
  /** Groups the entries: the subject counts distinct policies by id, not by (editable) name. */
  policyId: string;
  policyName: string;
  change: AlertEmailInput['change'];
  /** The signed diff page of this change, as in the per-change email. */
  viewUrl: string;
}

export interface DigestEmailInput {
  /** The changes to list, in the order to show them; entries of one policy are shown together. */
  entries: readonly DigestEntry[];
  /** The subscriber's signed one-click unsubscribe link (RFC 8058). */
  unsubscribeUrl: string;
  /** The length of the period covered, for the subject. @default 24 */
  hours?: number;
}

/** "Policy changes in the last 24 hours: 3 changes in 2 policies", then each policy's changes. */
export function renderDigestEmail(input: DigestEmailInput): AlertEmail {
  const { entries, unsubscribeUrl } = input;
  if (entries.length === 0) throw new Error('renderDigestEmail: a digest needs at least one change; this is a bug');
  const groups = groupByPolicy(entries);
  const subject = `Policy changes in the last ${input.hours ?? 24} hours: ${count(entries.length, 'change', 'changes')} in ${count(groups.length, 'policy', 'policies')}`;

  const html = [
    '<!doctype html>',
    `<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width"><title>${escapeHtml(subject)}</title></head>`,
    '<body style="margin:0;background:#ffffff">',
    `<div style="${STYLE.body}">`,
    `<p style="${STYLE.eyebrow}">Daily digest</p>`,
    `<h1 style="${STYLE.title}">${escapeHtml(subject)}</h1>`,
    ...groups.flatMap((group) => [
      `<h2 style="font-size:18px;margin:28px 0 4px;border-bottom:1px solid #e4e7eb;padding-bottom:4px">${escapeHtml(group.policyName)}</h2>`,
      ...group.entries.map(entryHtml),
    ]),
    `<p style="${STYLE.footer}">You receive this daily digest because you subscribed to policy changes. `,
    `<a href="${escapeHtml(unsubscribeUrl)}" style="color:#7b8794">Unsubscribe</a></p>`,
    '</div>',
    '</body></html>',
  ].join('\n');

  const text = [
    subject,
    ...groups.flatMap((group) => ['', '', `== ${group.policyName} ==`, ...group.entries.flatMap(entryText)]),
    '',
    '--',
    `Unsubscribe: ${unsubscribeUrl}`,
    '',
  ].join('\n');

  return { subject, html, text, headers: listUnsubscribeHeaders(unsubscribeUrl) };
}

function entryHtml({ change, viewUrl }: DigestEntry): string {
  const obligations = change.obligations.map(describeObligation);
  const marked = markChangedWords(change.before, change.after, change.diff);
  return [
    `<h3 style="${STYLE.heading}">${escapeHtml(sectionOf(change))}</h3>`,
    `<p style="${STYLE.eyebrow}">${escapeHtml(KIND_LABELS[change.kind])} · severity ${escapeHtml(change.severity)}</p>`,
    `<p style="margin:0 0 8px">${change.categories.map((category) => `<span style="${STYLE.chip}">${escapeHtml(category)}</span>`).join('')}</p>`,
    obligations.length > 0 ? `<ul style="${STYLE.obligations}">${obligations.map((line) => `<li>${escapeHtml(line)}</li>`).join('')}</ul>` : '',
    `<p style="${STYLE.before}">${change.before === null ? '(no such section)' : runsToHtml(marked.before, 'del')}</p>`,
    `<p style="${STYLE.after}">${change.after === null ? '(section removed)' : runsToHtml(marked.after, 'ins')}</p>`,
    `<p style="margin:8px 0 16px"><a href="${escapeHtml(viewUrl)}">View the full diff</a></p>`,
  ].join('\n');
}

function entryText({ change, viewUrl }: DigestEntry): string[] {
  const obligations = change.obligations.map(describeObligation);
  return [
    '',
    `Section: ${sectionOf(change)}`,
    `Change: ${KIND_LABELS[change.kind]}, severity ${change.severity}`,
    `Categories: ${change.categories.join(', ') || 'none'}`,
    ...(obligations.length > 0 ? ['Obligations that changed:', ...obligations.map((line) => `- ${line}`)] : []),
    'Before:',
    quote(change.before ?? '(no such section)'),
    'After:',
    quote(change.after ?? '(section removed)'),
    `Full diff: ${viewUrl}`,
  ];
}

/** "Data retention" or "Data retention (was: Keeping data)". */
function sectionOf(change: DigestEntry['change']): string {
  const section = change.sectionPath.join(' › ');
  const previous = change.previousPath?.join(' › ');
  return previous && previous !== section ? `${section} (was: ${previous})` : section;
}

interface PolicyGroup {
  policyName: string;
  entries: DigestEntry[];
}

/** Entries of one policy together, policies in order of their first entry. */
function groupByPolicy(entries: readonly DigestEntry[]): PolicyGroup[] {
  const groups = new Map<string, PolicyGroup>();
  for (const entry of entries) {
    const group = groups.get(entry.policyId) ?? { policyName: entry.policyName, entries: [] };
    group.entries.push(entry);
    groups.set(entry.policyId, group);
  }
  return [...groups.values()];
}

function count(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}
