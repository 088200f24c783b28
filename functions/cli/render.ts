/**
 * Terminal rendering of baselines and diffs: what a compliance engineer reads first (material
 * changes, obligation deltas), then the clauses with the changed words marked.
 */
import pc from 'picocolors';
import { describeObligation } from '../core/obligations.ts';
import type { PolicyRecord, SubscriptionRecord } from '../core/ports.ts';
import type { Change, DiffResult, StructuredBaseline } from '../core/types.ts';

function indent(text: string, prefix: string): string {
  return text
    .split('\n')
    .map((line) => `${prefix}${line}`)
    .join('\n');
}

function renderClauseDiff(change: Change): string[] {
  if (!change.diff) {
    const lines: string[] = [];
    if (change.before) lines.push(indent(pc.red(change.before), pc.red('  - ')));
    if (change.after) lines.push(indent(pc.green(change.after), pc.green('  + ')));
    return lines;
  }
  const before = change.diff.filter((p) => !p.added).map((p) => (p.removed ? pc.bold(pc.red(p.value)) : p.value)).join('');
  const after = change.diff.filter((p) => !p.removed).map((p) => (p.added ? pc.bold(pc.green(p.value)) : p.value)).join('');
  const lines: string[] = [];
  if (change.before) lines.push(indent(before, pc.red('  - ')));
  if (change.after) lines.push(indent(after, pc.green('  + ')));
  return lines;
}

/** A readable, coloured report of a diff. */
export function renderDiff(result: DiffResult): string {
  const out: string[] = [];
  const material = result.changes.filter((c) => c.material);
  const minor = result.changes.filter((c) => !c.material);
  const { before, after } = result.effectiveDate;
  out.push(pc.bold(material.length > 0 ? pc.red(`${material.length} material change(s)`) : pc.green('No material change')) + pc.dim(`, ${minor.length} non-material`));
  out.push(pc.dim(`Effective date: ${before ?? 'not stated'} → ${after ?? 'not stated'}`));
  for (const note of result.notes) out.push(pc.yellow(`Note: ${note}`));
  for (const change of [...material, ...minor]) {
    out.push('');
    const flag = change.material ? pc.red(`[${change.severity.toUpperCase()}]`) : pc.dim(`[${change.cosmetic ?? 'minor'}]`);
    out.push(`${flag} ${pc.bold(change.sectionPath.join(' › '))} ${pc.dim(`(${change.kind})`)}`);
    if (change.previousPath) out.push(pc.dim(`  was: ${change.previousPath.join(' › ')}`));
    if (change.categories.length) out.push(`  ${change.categories.map((c) => pc.cyan(c)).join(', ')}`);
    for (const o of change.obligations) out.push(pc.magenta(`  ${describeObligation(o)}`));
    out.push(...renderClauseDiff(change));
  }
  return out.join('\n');
}

/** A readable outline of a structured baseline. */
export function renderBaseline(baseline: StructuredBaseline): string {
  const out = [pc.bold(baseline.title), pc.dim(`Effective date: ${baseline.effectiveDate ?? 'not stated'} · ${baseline.sections.length} sections`), ''];
  for (const s of baseline.sections) {
    const words = s.text ? s.text.split(/\s+/).length : 0;
    const cats = s.categories.length ? ` ${pc.cyan(s.categories.join(', '))}` : '';
    out.push(`${'  '.repeat(Math.max(0, s.level - 1))}${s.untitled ? pc.italic(s.heading) : s.heading} ${pc.dim(`(${words} words)`)}${cats}`);
  }
  return out.join('\n');
}

/** Tracked policies as an aligned table: id, status, last check, name, URL. */
export function renderPolicies(policies: readonly PolicyRecord[]): string {
  if (policies.length === 0) return pc.dim('No tracked policies.');
  return table(
    ['ID', 'STATUS', 'LAST CHECKED', 'NAME', 'URL'],
    policies.map((policy) => [policy.policyId, policy.status, policy.lastCheckedAt?.slice(0, 16).replace('T', ' ') ?? 'never', policy.name, policy.url]),
  );
}

/** Subscriptions as an aligned table: id, state, address, policies, categories. */
export function renderSubscriptions(subscriptions: readonly SubscriptionRecord[]): string {
  if (subscriptions.length === 0) return pc.dim('No subscriptions.');
  const state = (s: SubscriptionRecord) => (s.suppressed ? `suppressed (${s.suppressed.reason})` : s.confirmed ? 'confirmed' : 'pending');
  const list = (value: readonly string[] | string) => (typeof value === 'string' ? value : value.join(','));
  return table(
    ['ID', 'STATE', 'EMAIL', 'POLICIES', 'CATEGORIES'],
    subscriptions.map((s) => [s.subscriptionId, state(s), s.email, list(s.policies), list(s.categories)]),
  );
}

function table(header: string[], rows: string[][]): string {
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => (row[column] ?? '').length)));
  const line = (cells: string[]) => cells.map((cell, column) => (column === cells.length - 1 ? cell : cell.padEnd(widths[column] ?? 0))).join('  ');
  return [pc.bold(line(header)), ...rows.map(line)].join('\n');
}
