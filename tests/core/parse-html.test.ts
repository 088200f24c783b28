import { describe, expect, it } from 'vitest';
import { parseDocument, sniffFormat } from '../../functions/core/parse.ts';
import { splitSections } from '../../functions/core/sections.ts';
import { diffPolicyTexts } from '../../functions/core/engine.ts';

const PAGE = `<!doctype html><html><head><title>Acme – Privacy</title><style>p{}</style><script>var x = "We sell data";</script></head>
<body>
<header><nav><a href="/">Home</a> <a href="/pricing">Pricing</a></nav></header>
<div id="onetrust-banner-sdk" class="otFlat"><p>We use cookies to improve your experience. <button>Accept all</button></p></div>
<main>
  <h1>Acme Privacy Policy</h1>
  <p><em>Effective date: January 5, 2025</em></p>
  <h2>1. Data we collect</h2>
  <p>We collect your <a href="https://acme.example/glossary#email">email address</a> and &ldquo;usage data&rdquo;.</p>
  <ul><li>Name</li><li>Email&nbsp;address</li></ul>
  <h2>2. Retention</h2>
  <p>We retain logs for <strong>30 days</strong>.</p>
  <table><tr><th>Data</th><th>Period</th></tr><tr><td>Invoices</td><td>7 years</td></tr></table>
</main>
<footer><p>© 2025 Acme. All rights reserved.</p></footer>
</body></html>`;

const document = parseDocument(PAGE, { format: 'html' });

describe('parseDocument on HTML', () => {
  const sections = splitSections(document);

  it('takes the title from h1 and the effective date out of the body', () => {
    expect(document.title).toBe('Acme Privacy Policy');
    expect(document.effectiveDate).toBe('2025-01-05');
  });

  it('keeps headings, paragraphs, list items and table rows (cells joined), and drops chrome, scripts and the cookie banner', () => {
    expect(sections.map((s) => s.heading)).toEqual(['1. Data we collect', '2. Retention']);
    expect(sections[0]!.text).toBe('We collect your email address and "usage data".\n- Name\n- Email address');
    expect(sections[1]!.text).toBe('We retain logs for 30 days.\nData | Period\nInvoices | 7 years');
    const all = sections.map((s) => s.text).join('\n');
    for (const noise of ['Home', 'Pricing', 'cookies to improve', 'All rights reserved', 'We sell data']) expect(all).not.toContain(noise);
  });

  it('limits the page to a CSS selector and names an unmatched selector in its error', () => {
    const limited = parseDocument(PAGE, { format: 'html', select: 'ul' });
    expect(splitSections(limited).map((s) => s.text)).toEqual(['- Name\n- Email address']);
    expect(() => parseDocument(PAGE, { format: 'html', select: '#policy-body' })).toThrow('selector "#policy-body" matched nothing on the page');
  });
});

describe('parseDocument on HTML written differently', () => {
  it('reads a page minified with its optional tags dropped (html, head, body, </p>, </li>, </td>, </tr>) like the original', () => {
    const original = '<!doctype html><html><head><title>Acme</title></head><body><h2>Your rights</h2><ul><li><p>Access your data.</p></li>' +
      '<li><p>Delete your data.</p></li></ul><table><tr><td><p>Logs</p></td><td>30 days</td></tr></table><h2>Contact</h2><p>Write to us.</p></body></html>';
    const minified = '<!doctype html><title>Acme</title><h2>Your rights</h2><ul><li><p>Access your data.<li><p>Delete your data.</ul>' +
      '<table><tr><td><p>Logs<td>30 days</table><h2>Contact</h2><p>Write to us.';

    expect(parseDocument(minified, { format: 'html' })).toEqual(parseDocument(original, { format: 'html' }));
    expect(splitSections(parseDocument(minified, { format: 'html' })).map((s) => s.text)).toEqual(['Access your data.\nDelete your data.\nLogs\n30 days', 'Write to us.']);
  });

  it('takes no policy text from <noscript>, in the head or the body', () => {
    const page = PAGE.replace('</head>', '<noscript><p>Please enable JavaScript to use this site.</p></noscript></head>')
      .replace('<main>', '<main><noscript><div class="warning">JavaScript is <b>disabled</b></div></noscript>');

    expect(parseDocument(page, { format: 'html' })).toEqual(document);
  });
});

describe('sniffFormat', () => {
  it('recognises each format by extension, else by content', () => {
    expect(sniffFormat('whatever', 'policy.HTML')).toBe('html');
    expect(sniffFormat('whatever', 'policy.md')).toBe('markdown');
    expect(sniffFormat(PAGE)).toBe('html');
    expect(sniffFormat('# Title\n\n**Bold heading**\n\nText with a [link](https://x.example).')).toBe('markdown');
    expect(sniffFormat('Privacy Policy\n\nWe collect data. We keep it.')).toBe('text');
  });
});

/** [heading, text] of each section the page splits into. */
function sectionsOf(page: string, select?: string): Array<[string, string]> {
  const parsed = parseDocument(page, { format: 'html', ...(select ? { select } : {}) });
  return splitSections(parsed).map((s) => [s.heading, s.text]);
}

describe('HTML headings', () => {
  it('reads a bold-only full sentence as text, so that an edit to it is a material change', () => {
    const page = `<!doctype html><title>Privacy</title><body><main><h1>Privacy Policy</h1><h2>Sharing</h2>
<p>We share data with our payment processor.</p><p><strong>We do not sell or rent your personal information.</strong></p><h2>Contact</h2><p>Write to us.</p></main></body>`;
    expect(sectionsOf(page)[0]).toEqual(['Sharing', 'We share data with our payment processor.\nWe do not sell or rent your personal information.']);
    const result = diffPolicyTexts(page, page.replace('We do not sell or rent your personal information.', 'We may sell or rent your personal information to advertising partners.'), { before: { format: 'html' }, after: { format: 'html' } });
    expect(result.material).toBe(true);
    expect(result.changes.filter((c) => c.material).flatMap((c) => c.categories)).toContain('sale');
  });

  it('keeps self-linking headings in wrapper divs, <summary> text and a bold lead before <br> as headings', () => {
    const page = `<!doctype html><title>Privacy</title><body><main><h1>Privacy Policy</h1>
<div class="hwrap"><h2 id="collect"><a href="#collect">Information We Collect</a></h2></div><p>We collect your email address.</p>
<details><summary>Your rights</summary><p>You can ask for a copy of your data.</p></details>
<p><strong>3. Children</strong><br>Our services are not directed to children under 13.</p></main></body>`;
    expect(sectionsOf(page)).toEqual([
      ['Information We Collect', 'We collect your email address.'],
      ['Your rights', 'You can ask for a copy of your data.'],
      ['3. Children', 'Our services are not directed to children under 13.'],
    ]);
  });
});
