/**
 * Material changes as an Atom feed (the `feed` library writes and escapes the XML). Pure.
 */
import { Feed } from 'feed';
import { describeObligation } from './obligations.ts';
import type { ChangeRecord } from './ports.ts';

export interface ChangesFeedInput {
  title: string;
  /** This feed's own URL (its Atom id and rel="self" link). */
  selfUrl: string;
  /** The human page the feed stands for. */
  pageUrl: string;
  /** Newest first. */
  changes: readonly ChangeRecord[];
  /** Link to one change's diff page. */
  changeUrl: (changeId: string) => string;
  /** `updated` of an empty feed (Atom requires one); otherwise the newest change's time. */
  now: Date;
}

export function renderChangesFeed(input: ChangesFeedInput): string {
  const newest = input.changes[0];
  const feed = new Feed({
    id: input.selfUrl,
    title: input.title,
    link: input.pageUrl,
    updated: newest ? new Date(newest.detectedAt) : input.now,
    generator: 'policy-monitor',
    feedLinks: { atom: input.selfUrl },
    copyright: 'Quoted policy text belongs to its publishers',
  });
  for (const change of input.changes) {
    const obligations = change.obligations.map(describeObligation);
    const summary = [
      ...obligations,
      `${change.kind} · ${change.categories.join(', ') || 'no category'} · severity ${change.severity}`,
      change.before === null ? '' : `Before: ${change.before}`,
      change.after === null ? '' : `After: ${change.after}`,
    ].filter(Boolean);
    feed.addItem({
      // Change ids are stable, so feed readers never show one change twice.
      id: `urn:policy-monitor:change:${change.changeId}`,
      title: `${change.policyName}: ${change.sectionPath.join(' › ')} (${change.categories.join(', ') || change.kind})`,
      link: input.changeUrl(change.changeId),
      date: new Date(change.detectedAt),
      description: summary.join('\n'),
      category: change.categories.map((name) => ({ name, term: name })),
    });
  }
  return feed.atom1();
}
