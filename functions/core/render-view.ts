/**
 * The diff viewer: server-rendered pages of one change and of a policy's timeline of changes.
 * Pure: records in, HTML out, every value escaped. One <style> block, no scripts, nothing
 * loaded from elsewhere (the API serves them under a CSP that forbids it).
 */
import { describeObligation } from './obligations.ts';
import type { ChangeRecord, PolicyRecord } from './ports.ts';
import { escapeHtml } from './render-email.ts';
import { renderPage } from './render-pages.ts';
import type { Change } from './types.ts';
import { markChangedWords, type MarkedRun } from './word-marks.ts';

const VIEW_CSS = `
.labels{margin:4px 0 8px}
.label{display:inline-block;background:#e4e7eb;color:#1f2933;border-radius:10px;padding:1px 9px;margin:0 4px 4px 0;font-size:13px}
.label.material{background:#fde8c8}
.obligations{background:#fffbea;border:1px solid #f0d98c;border-radius:6px;padding:10px 16px;margin:0 0 16px}
.obligations ul{margin:4px 0 0;padding-left:20px}
.sides{display:grid;grid-template-columns:1fr 1fr;gap:12px}
@media (max-width:700px){.sides{grid-template-columns:1fr}}
.side h3{font-size:13px;text-transform:uppercase;letter-spacing:.04em;color:#52606d;margin:0 0 4px}
.clause{white-space:pre-wrap;margin:0;padding:8px 12px;border-radius:4px}
.before .clause{background:#fdecea;border-left:4px solid #d64545}
.after .clause{background:#e3f9e5;border-left:4px solid #3f9142}
del{background:#f8b4b4;color:#610316;text-decoration:line-through}
ins{background:#a8e6b0;color:#05400a;text-decoration:none}
.empty{color:#7b8794;font-style:italic}
.timeline{list-style:none;margin:0;padding:0}
.timeline>li{border-left:3px solid #9fb3c8;padding:0 0 8px 16px;margin-left:6px}
.when{font-weight:600}
.change h2{margin-top:0}
`;

const KIND_LABELS: Record<Change['kind'], string> = {
  added: 'section added',
  removed: 'section removed',
  modified: 'clause changed',
  moved: 'section moved',
  renamed: 'section renamed',
};

export interface ChangePageInput {
  change: ChangeRecord;
  /** The policy's timeline page, when the reader may open it. */
  policyViewUrl?: string;
}

/** One change: obligations first, then the clause before and after, side by side. */
export function renderChangePage({ change, policyViewUrl }: ChangePageInput): string {
  const obligations = change.obligations.map(describeObligation);
  const body = [
    `<p class="muted">${escapeHtml(change.policyName)} · detected ${escapeHtml(formatTime(change.detectedAt))}</p>`,
    `<h1>${escapeHtml(change.sectionPath.join(' › '))}</h1>`,
    obligationsBox(obligations),
    changeCard(change, { heading: false }),
    policyViewUrl ? `<p><a href="${escapeHtml(policyViewUrl)}">All changes of ${escapeHtml(change.policyName)}</a></p>` : '',
  ].join('\n');
  return renderPage(`${change.policyName}: ${change.sectionPath.join(' › ')}`, body, VIEW_CSS);
}

export interface PolicyPageInput {
  policy: PolicyRecord;
  /** Newest first: one page of the policy's changes. */
  changes: readonly ChangeRecord[];
  /** Link to each change's own page. */
  changeUrl: (changeId: string) => string;
  /** The next (older) page of the timeline, when there is one. */
  olderUrl?: string;
}

/** A policy's timeline: what its obligations became, then each check's changes, newest first. */
export function renderPolicyPage({ policy, changes, changeUrl, olderUrl }: PolicyPageInput): string {
  // Newest first, so the first line of each obligation type is where it stands now.
  const obligations = [...new Set(changes.flatMap((change) => change.obligations.map(describeObligation)))];
  const byCheck = groupBy(changes, (change) => change.detectedAt);
  const approval = policy.baselineApproval;
  const body = [
    `<p class="muted"><a href="${escapeHtml(policy.url)}" rel="noreferrer nofollow">${escapeHtml(policy.url)}</a> · status ${escapeHtml(policy.status)}${policy.lastCheckedAt ? ` · last checked ${escapeHtml(formatTime(policy.lastCheckedAt))}` : ''}</p>`,
    `<h1>${escapeHtml(policy.name)}</h1>`,
    approval
      ? `<p class="muted">Baseline approved by ${escapeHtml(approval.approvedBy)} on ${escapeHtml(formatTime(approval.approvedAt))}: ${escapeHtml(approval.reason)}</p>`
      : '<p class="muted">Baseline: the first version seen (never approved).</p>',
    obligationsBox(obligations),
    changes.length === 0
      ? '<p class="empty">No material changes recorded.</p>'
      : `<ol class="timeline">${[...byCheck]
          .map(
            ([detectedAt, group]) =>
              `<li><p class="when">${escapeHtml(formatTime(detectedAt))} · ${group.length} change${group.length === 1 ? '' : 's'}</p>${group
                .map((change) => changeCard(change, { heading: true, url: changeUrl(change.changeId) }))
                .join('')}</li>`,
          )
          .join('')}</ol>`,
    olderUrl ? `<p><a href="${escapeHtml(olderUrl)}">Older changes</a></p>` : '',
  ].join('\n');
  return renderPage(`${policy.name}: changes`, body, VIEW_CSS);
}

function obligationsBox(lines: readonly string[]): string {
  if (lines.length === 0) return '';
  return `<section class="obligations" aria-label="Obligations that changed"><strong>Obligations that changed</strong><ul>${lines.map((line) => `<li>${escapeHtml(line)}</li>`).join('')}</ul></section>`;
}

function changeCard(change: ChangeRecord, options: { heading: boolean; url?: string }): string {
  const marked = markChangedWords(change.before, change.after, change.diff);
  const previous = change.previousPath && change.previousPath.join(' › ') !== change.sectionPath.join(' › ') ? change.previousPath.join(' › ') : undefined;
  const title = options.heading
    ? `<h2>${options.url ? `<a href="${escapeHtml(options.url)}">${escapeHtml(change.sectionPath.join(' › '))}</a>` : escapeHtml(change.sectionPath.join(' › '))}</h2>`
    : '';
  return [
    `<article class="card change" id="change-${escapeHtml(change.changeId)}">`,
    title,
    `<div class="labels">${[
      `<span class="label kind">${escapeHtml(KIND_LABELS[change.kind])}</span>`,
      `<span class="label${change.material ? ' material' : ''}">severity ${escapeHtml(change.severity)}</span>`,
      ...change.categories.map((category) => `<span class="label category">${escapeHtml(category)}</span>`),
    ].join('')}</div>`,
    previous ? `<p class="muted">Was: ${escapeHtml(previous)}</p>` : '',
    '<div class="sides">',
    side('before', 'Before', change.before, marked.before, 'del', 'No such section in the baseline'),
    side('after', 'After', change.after, marked.after, 'ins', 'Section removed'),
    '</div>',
    '</article>',
  ].join('');
}

function side(kind: 'before' | 'after', label: string, text: string | null, runs: readonly MarkedRun[], tag: 'del' | 'ins', missing: string): string {
  const content = text === null ? `<p class="clause empty">${escapeHtml(missing)}</p>` : `<p class="clause">${runs.map((run) => (run.changed ? `<${tag}>${escapeHtml(run.text)}</${tag}>` : escapeHtml(run.text))).join('')}</p>`;
  return `<section class="side ${kind}" aria-label="${label}"><h3>${label}</h3>${content}</section>`;
}

/** "2024-05-02 06:00 UTC": times in pages are UTC, like the schedule. */
function formatTime(iso: string): string {
  return `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;
}

function groupBy<T>(items: readonly T[], keyOf: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const key = keyOf(item);
    groups.set(key, [...(groups.get(key) ?? []), item]);
  }
  return groups;
}
