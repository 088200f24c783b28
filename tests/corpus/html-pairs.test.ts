/**
 * A realistic HTML policy page (consent banner, navigation, footer, build stamps, a retention
 * table, tracked links) and the edits real pages go through. The page noise that whole-document
 * differs alert on must stay silent; each real edit must come out as exactly one material change
 * with its category and obligation delta.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { diffPolicyTexts } from '../../functions/core/engine.ts';
import type { Change, DiffResult } from '../../functions/core/types.ts';

const PAGE = readFileSync(new URL('./pairs/page.html', import.meta.url), 'utf8');
const html = { before: { format: 'html' as const }, after: { format: 'html' as const } };

/** The page with each [from, to] replacement applied; a replacement that matches nothing is a test bug. */
function edited(...replacements: Array<[string, string]>): string {
  return replacements.reduce((page, [from, to]) => {
    if (!page.includes(from)) throw new Error(`edit does not apply: ${from}`);
    return page.replace(from, to);
  }, PAGE);
}

function diff(after: string): DiffResult {
  return diffPolicyTexts(PAGE, after, html);
}

function onlyMaterialChange(result: DiffResult): Change {
  const material = result.changes.filter((c) => c.material);
  expect(material, JSON.stringify(material.map((c) => [c.sectionPath, c.before, c.after]))).toHaveLength(1);
  return material[0]!;
}

describe('HTML page noise raises no material change', () => {
  it.each<[string, string]>([
    ['a bumped "Last updated" date', edited(['Last updated: March 3, 2025', 'Last updated: June 9, 2026'])],
    ['a reworded consent banner', edited(['We use cookies to personalise content and ads.', 'We and our 812 partners use cookies to personalise content, ads and measurement.'])],
    ['a new navigation link and footer year', edited(['<a href="/login">Log in</a>', '<a href="/blog">Blog</a> <a href="/login">Log in</a>'], ['&copy; 2025', '&copy; 2026'])],
    ['new build stamps and asset hashes', edited(['2025-03-03T10:11:12Z-7f3a9', '2026-06-09T08:00:00Z-c01d2'], ['/assets/app.9a8b7.js', '/assets/app.e4e4e.js'], ['site.4f1c2.css', 'site.88aa1.css'])],
    ['a changed link target and tracking parameter', edited(['https://northwind.example/services?utm_source=policy', 'https://www.northwind.example/en/services?utm_source=legal&utm_medium=web'])],
    ['markup-only rewrapping: bold, spans, line breaks, entities', edited(['as long as your account is active', 'as long as <strong>your account</strong> is&nbsp;active'], ['We collect information you provide to us, such as', 'We collect information you provide to us,\n        <span class="x">such as</span>'])],
    ['two sections swapped', edited(['<h2 id="children">7. Children</h2>', '<h2 id="changes-first">8. Changes to this policy</h2>\n      <p>We will notify you by email at least 30 days before a material change takes effect.</p>\n      <h2 id="children">7. Children</h2>'], ['<h2 id="changes">8. Changes to this policy</h2>\n      <p>We will notify you by email at least 30 days before a material change takes effect.</p>\n', ''])],
    ['list items reordered', edited(['<li>Stripe, Inc. (payment processing)</li>\n        <li>Zendesk, Inc. (customer support)</li>', '<li>Zendesk, Inc. (customer support)</li>\n        <li>Stripe, Inc. (payment processing)</li>'])],
    ['a redesign: sections wrapped, h2 → h3, lists numbered', edited(['<h2 id="use">', '</section><section><h2 id="use">'], ['<ul>\n        <li>To provide', '<ol>\n        <li>To provide'], ['support messages.</li>\n      </ul>', 'support messages.</li>\n      </ol>']).replace(/<(\/?)h2/g, '<$1h3')],
    ['a table of contents of in-page links, with its label', edited(['<p class="updated">', '<div class="toc"><p>On this page</p><ol><li><a href="#collect">1. Information we collect</a></li><li><a href="#use">2. How we use information</a></li><li><a href="#share">3. How we share information</a></li></ol></div>\n      <p class="updated">'])],
    ['"Back to top" links after every section', PAGE.replace(/<h2 id="(?!collect)/g, '<p><a href="#top">Back to top</a></p>\n      <h2 id="')],
    ['a reader comment posted under the policy, inside <main>', edited(['    </article>\n', '    </article>\n    <div id="comments" class="comments-area"><h2 class="comments-title">One comment on "Privacy Policy"</h2><ol class="comment-list"><li><article class="comment-body"><footer class="comment-meta"><b>Ann</b> <time datetime="2026-01-02">January 2, 2026</time></footer><div class="comment-content"><p>Will you ever sell my data to advertisers?</p></div></article></li></ol></div>\n'])],
    ['straight quotes instead of curly ones, and a double space', edited(['(&ldquo;Northwind&rdquo;, &ldquo;we&rdquo;)', '("Northwind", "we")'], ['We keep account information', 'We  keep account information'])],
  ])('%s', (_, after) => {
    const result = diff(after);
    expect(result.changes.filter((c) => c.material)).toEqual([]);
    expect(result.material).toBe(false);
  });

  it('reports the bumped date on its own field', () => {
    expect(diff(edited(['Last updated: March 3, 2025', 'Last updated: June 9, 2026'])).effectiveDate).toEqual({ before: '2025-03-03', after: '2026-06-09' });
  });
});

describe('HTML page edits that matter', () => {
  it('a lengthened period in a retention table row: retention, P2Y → P5Y, the row as the clause', () => {
    const change = onlyMaterialChange(diff(edited(['<td>2 years</td>', '<td>5 years</td>'])));

    expect(change.sectionPath).toEqual(['4. How long we keep information']);
    expect(change.before).toBe('Support tickets | 2 years');
    expect(change.after).toBe('Support tickets | 5 years');
    expect(change.categories).toContain('retention');
    expect(change.obligations).toContainEqual(expect.objectContaining({ type: 'retention-period', before: 'P2Y', after: 'P5Y' }));
  });

  it('a new service provider in the list: sharing, the third party named as added', () => {
    const change = onlyMaterialChange(diff(edited(['<li>Zendesk, Inc. (customer support)</li>', '<li>Zendesk, Inc. (customer support)</li>\n        <li>Acme Analytics Inc. (product analytics)</li>'])));

    expect(change.sectionPath).toEqual(['3. How we share information']);
    expect(change.categories).toContain('sharing');
    expect(change.obligations).toContainEqual({ type: 'third-party', added: ['Acme Analytics'], removed: [] });
  });

  it('a removed right in the rights list: rights, the right named as removed', () => {
    const change = onlyMaterialChange(diff(edited(['        <li>Request deletion of your personal data.</li>\n', ''])));

    expect(change.sectionPath).toEqual(['6. Your rights']);
    expect(change.before).toBe('- Request deletion of your personal data.');
    expect(change.after).toBeNull();
    expect(change.categories).toContain('rights');
    const right = change.obligations.find((o) => o.type === 'right');
    expect(right).toMatchObject({ added: [], removed: [expect.stringMatching(/delet|erasure/i)] });
  });

  it('"do not sell" becoming "may sell": sale', () => {
    const change = onlyMaterialChange(diff(edited(['We do not sell your personal information, and we do not share it', 'We may sell your personal information to advertising partners, and we may share it'])));

    expect(change.categories).toContain('sale');
    expect(change.severity).toBe('high');
  });

  it('a raised age threshold for children: 13 → 16', () => {
    const change = onlyMaterialChange(diff(edited(['children under 13', 'children under 16'])));

    expect(change.categories).toContain('children');
    expect(change.obligations).toContainEqual({ type: 'age-threshold', before: 13, after: 16 });
  });

  it('a new hosting country: transfers, India added', () => {
    const change = onlyMaterialChange(diff(edited(['located in the United States and Ireland', 'located in the United States, Ireland and India'])));

    expect(change.categories).toContain('transfers');
    expect(change.obligations).toContainEqual(expect.objectContaining({ type: 'transfer-country', added: ['India'] }));
  });

  it('an in-page cross-reference added to a sentence is policy text, not navigation', () => {
    const change = onlyMaterialChange(diff(edited(['We respond to requests within 30 days.', 'We respond to requests within 30 days, and we may share them with our <a href="#share">service providers</a>.'])));

    expect(change.after).toContain('we may share them with our service providers');
  });

  it('the whole page inside an ASP.NET WebForms <form>: a lengthened retention period is still reported', () => {
    const wrapped = (page: string): string => page.replace('<body class="legal">', '<body class="legal"><form name="aspnetForm" method="post" id="aspnetForm">').replace('</body>', '</form></body>');
    const change = onlyMaterialChange(diffPolicyTexts(wrapped(PAGE), wrapped(edited(['<td>2 years</td>', '<td>5 years</td>'])), html));

    expect(change.before).toBe('Support tickets | 2 years');
    expect(change.after).toBe('Support tickets | 5 years');
    expect(change.categories).toContain('retention');
  });

  it('a slower response to requests: 30 days → 45 days as a response deadline', () => {
    const change = onlyMaterialChange(diff(edited(['We respond to requests within 30 days.', 'We respond to requests within 45 days.'])));

    expect(change.categories).toContain('rights');
    expect(change.obligations).toContainEqual(expect.objectContaining({ type: 'response-deadline', before: 'P30D', after: 'P45D' }));
  });
});
