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

function textOf(page: string, select?: string): string {
  return sectionsOf(page, select).map(([heading, text]) => `${heading}\n${text}`).join('\n');
}

describe('HTML consent UI versus policy text about cookies and consent', () => {
  const page = `<!doctype html><title>Privacy</title><body>
<main>
  <h1>Privacy Policy</h1>
  <h2 id="cookies">5. Cookies</h2>
  <section class="cookie-policy" id="cookie-use"><p>We set strictly necessary cookies, and, with your consent, analytics cookies.</p>
    <p>You can change your choice at any time in the cookie settings. <button type="button" onclick="openPrefs()">Cookie settings</button></p></section>
  <section id="gdpr-rights"><h2>6. Your GDPR rights</h2><ul><li>Access your data.</li><li>Port your data.</li></ul></section>
  <div class="consent-note"><p>We never load advertising cookies before you give consent.</p></div>
</main>
<div class="cookie-banner" role="region" aria-label="Cookie consent"><p>We use cookies to improve your experience.</p>
  <button>Accept all</button><button>Reject all</button></div>
<div id="eu-notice" class="notice-bar">This site uses cookies. By continuing to browse you agree to our use of cookies. <a href="#" class="close">OK</a></div>
<div class="cookie-hinweis"><p>Wir verwenden Cookies, um unsere Website zu verbessern.</p><button>Alle akzeptieren</button><button>Nur notwendige</button></div>
<div role="alertdialog" aria-label="Privacy preferences"><p>Targeting cookies may be set by our advertising partners.</p></div>
</body>`;

  it('keeps sections whose id or class merely mentions cookies, consent or GDPR, and drops banners with consent controls', () => {
    expect(sectionsOf(page)).toEqual([
      ['5. Cookies', 'We set strictly necessary cookies, and, with your consent, analytics cookies.\nYou can change your choice at any time in the cookie settings.'],
      ['6. Your GDPR rights', '- Access your data.\n- Port your data.\nWe never load advertising cookies before you give consent.'],
    ]);
  });

  it('drops consent banners, preference centres (even long ones) and alert dialogs on a page without <main>', () => {
    const purposes = Array.from({ length: 12 }, (_, i) => `<h4>Purpose ${i + 1}</h4><p>These cookies may be set through our site by our advertising partners to build a profile of your interests.</p>`).join('');
    const bare = page.replace('<main>', '<div class="content">').replace('</main>', '</div>')
      .replace('</body>', `<div id="onetrust-consent-sdk"><div id="onetrust-pc-sdk" class="otPcCenter"><h2>Privacy Preference Center</h2>${purposes}<button>Confirm my choices</button></div></div></body>`);
    const text = textOf(bare);
    expect(text).toContain('Port your data.');
    expect(text).toContain('with your consent, analytics cookies');
    for (const noise of ['improve your experience', 'By continuing to browse', 'Wir verwenden Cookies', 'Targeting cookies', 'Privacy Preference Center', 'Purpose 1']) expect(text).not.toContain(noise);
  });

  it('reports an edit in the policy\'s own cookie section as a material tracking change', () => {
    const result = diffPolicyTexts(page, page.replace('and, with your consent, analytics cookies', 'and analytics and marketing cookies'), { before: { format: 'html' }, after: { format: 'html' } });
    expect(result.material).toBe(true);
    expect(result.changes.filter((c) => c.material).flatMap((c) => c.categories)).toContain('tracking');
  });
});

describe('HTML containers that hold policy text', () => {
  it('reads a page wrapped in an ASP.NET WebForms <form>, dropping its div-based header, menu and footer', () => {
    const page = `<!doctype html><title>Privacy</title><body><form name="aspnetForm" method="post" id="aspnetForm">
<input type="hidden" name="__VIEWSTATE" value="abc">
<div id="ctl00_pnlHeader" class="header"><ul class="menu"><li><a href="/">Home</a></li><li><a href="/contact">Contact</a></li></ul></div>
<div id="ctl00_MainContent_pnlBody" class="content"><h1>Privacy Policy</h1><h2>Children</h2><p>We do not knowingly collect data from children under 16.</p>
<h2>Sale</h2><p>We do not sell your personal information.</p></div>
<div id="ctl00_pnlFooter" class="footer"><p>Copyright 2024 Example Ltd. | <a href="/terms">Terms</a></p></div>
</form></body>`;
    expect(sectionsOf(page)).toEqual([
      ['Children', 'We do not knowingly collect data from children under 16.'],
      ['Sale', 'We do not sell your personal information.'],
    ]);
  });

  it('keeps <header> and <aside> inside the article and drops the page header, footer, sidebar and a newsletter form', () => {
    const page = `<!doctype html><title>Privacy - Blog</title><body>
<header class="site-header"><p class="site-title">Example Blog</p></header>
<main><article>
  <header class="entry-header"><h1>Privacy Policy</h1><p>Last updated: March 1, 2024</p><p>This policy explains how Example handles personal data.</p></header>
  <aside class="callout"><p><strong>In short:</strong> We never sell your personal data.</p></aside>
  <h2>Retention</h2><p>We keep logs for 30 days.</p>
  <footer class="entry-footer"><p>Questions? Write to privacy@example.com.</p></footer>
</article>
<aside class="sidebar"><h3>Recent posts</h3><ul><li><a href="/a">Our new office</a></li><li><a href="/b">Release notes</a></li></ul></aside>
<form class="newsletter"><h3>Subscribe</h3><p>Get our news by email.</p><input type="email"><button>Subscribe</button></form>
</main>
<footer><p>© 2024 Example</p></footer></body>`;
    const parsed = parseDocument(page, { format: 'html' });
    expect(parsed.title).toBe('Privacy Policy');
    expect(parsed.effectiveDate).toBe('2024-03-01');
    expect(sectionsOf(page)).toEqual([
      ['Introduction', 'This policy explains how Example handles personal data.\nIn short: We never sell your personal data.'],
      ['Retention', 'We keep logs for 30 days.\nQuestions? Write to privacy@example.com.'],
    ]);
  });

  it('reads accordion headings written as buttons and panels that are collapsed with `hidden`', () => {
    const page = `<!doctype html><title>Privacy</title><body>
<div class="mobile-menu" aria-hidden="true"><a href="/">Home</a><a href="/pricing">Pricing</a></div>
<main><h1>Privacy Policy</h1>
  <h2 class="accordion-header"><button class="accordion-button" aria-expanded="true">What we collect</button></h2>
  <div class="accordion-collapse collapse show"><p>We collect your name and email address.</p></div>
  <h3><button type="button" aria-expanded="false" aria-controls="p1">Your choices</button></h3>
  <div id="p1" role="region" hidden><p>You can ask us to delete your account at any time from Settings.</p></div>
  <p class="tooltip" hidden>Copied!</p>
</main></body>`;
    expect(sectionsOf(page)).toEqual([
      ['What we collect', 'We collect your name and email address.'],
      ['Your choices', 'You can ask us to delete your account at any time from Settings.'],
    ]);
  });

  it('reads content that React streaming rendering delivers in a hidden segment', () => {
    const page = `<!doctype html><title>Privacy</title><body><header><nav><a href="/">Home</a></nav></header>
<main><!--$?--><template id="B:0"></template><div class="animate-pulse">Loading…</div><!--/$--></main><footer>© 2024</footer>
<div hidden id="S:0"><article><h1>Privacy Policy</h1><h2>Children</h2><p>Our services are not directed to children under 16.</p></article></div>
<script>$RC("B:0","S:0")</script></body>`;
    expect(sectionsOf(page)).toEqual([['Children', 'Our services are not directed to children under 16.']]);
  });

  it('reads every article when the policy has one per section, but not related-post cards', () => {
    const page = `<!doctype html><title>Privacy</title><body><div class="page">
<div class="policy"><article><h2>1. Collection</h2><p>We collect your email address.</p></article>
<article><h2>2. Security</h2><p>We will tell you of a breach without undue delay.</p></article>
<article><h2>3. Marketing</h2><p>We send marketing emails only with your consent.</p></article></div>
<div class="cards"><article class="card"><h3><a href="/blog/1">Our new office</a></h3></article><article class="card"><h3><a href="/blog/2">Hiring</a></h3></article></div>
</div></body>`;
    expect(sectionsOf(page).map(([heading]) => heading)).toEqual(['1. Collection', '2. Security', '3. Marketing']);
  });

  it('lets a CSS selector reach content inside elements that are otherwise chrome', () => {
    const page = `<!doctype html><title>Privacy</title><body><form id="aspnetForm"><div hidden id="policy"><h2>Cookies</h2><p>We use analytics cookies.</p></div></form>
<section id="cookies"><h2>Cookies</h2><p>We use analytics cookies.</p><button>Accept all</button></section></body>`;
    expect(sectionsOf(page, '#policy')).toEqual([['Cookies', 'We use analytics cookies.']]);
    expect(sectionsOf(page, '#cookies')).toEqual([['Cookies', 'We use analytics cookies.']]);
  });
});

describe('HTML chrome inside the policy area', () => {
  it('drops comments, related articles, votes, breadcrumbs, language switchers and promos inside <main>', () => {
    const page = `<!doctype html><title>Privacy</title><body><main>
<ol class="breadcrumbs"><li><a href="/">Help Center</a></li><li><a href="/legal">Legal</a></li></ol>
<div class="lang-switch" aria-label="Language"><a href="/en/privacy" lang="en">English</a><a href="/da/privatliv" lang="da">Dansk</a></div>
<div class="promo-slot"><p><strong>New:</strong> Same-day delivery is now available. <a href="/same-day">Book now</a></p></div>
<article><h1>Privacy Policy</h1><h2>Sharing</h2><p>We share your address with our delivery partners.</p>
<div class="article-votes"><span>Was this article helpful?</span><button>Yes</button><button>No</button><small>123 out of 145 found this helpful</small></div>
<div class="article-relatives"><section class="related-articles"><h2>Related articles</h2><ul><li><a href="/hc/1">How do I request deletion of my personal data?</a></li><li><a href="/hc/2">Changing your phone number</a></li></ul></section></div>
</article>
<div id="comments" class="comments-area"><h2 class="comments-title">2 comments on "Privacy Policy"</h2><ol class="comment-list"><li><article class="comment-body"><footer class="comment-meta"><b>Ann</b> <time datetime="2024-03-02">March 2, 2024</time></footer><div class="comment-content"><p>Will you ever sell my data to advertisers?</p></div></article></li></ol>
<div id="respond" class="comment-respond"><h2 class="comment-reply-title">Leave a comment</h2><form id="commentform"><textarea></textarea><input type="submit" value="Post Comment"></form></div></div>
</main></body>`;
    expect(sectionsOf(page)).toEqual([['Sharing', 'We share your address with our delivery partners.']]);
  });

  it('drops unnamed lines of page actions inside the article: share bar, print, PDF, reading time', () => {
    const page = `<!doctype html><title>Privacy</title><body><main><article><h1>Privacy Policy</h1>
<p>Last updated 15 Feb 2024</p><p>6 min read</p>
<div><a href="#">Print this page</a></div><p><a href="/privacy.pdf">Download as PDF (120 KB)</a></p>
<h2>Sharing</h2><p>We share your address with our delivery partners.</p>
<div><span>Share this page:</span> <a href="#">Facebook</a> <a href="#">X</a> <a href="#">Email</a></div>
</article></main></body>`;
    expect(sectionsOf(page)).toEqual([['Sharing', 'We share your address with our delivery partners.']]);
  });

  it('drops a table of contents written as a plain list of the headings that follow', () => {
    const body = `<h2>1. Sharing</h2><p>We share your address with our delivery partners.</p><h2>2. Retention</h2><p>We keep orders for 7 years.</p><h2>3. Your rights</h2><p>You may ask us to delete your data.</p>`;
    const withToc = `<!doctype html><title>Privacy</title><body><main><h1>Privacy Policy</h1><p>This policy includes the following contents:</p><ul><li>1. Sharing</li><li>2. Retention</li><li>3. Your rights</li></ul>${body}</main></body>`;
    const without = `<!doctype html><title>Privacy</title><body><main><h1>Privacy Policy</h1>${body}</main></body>`;
    expect(sectionsOf(withToc)).toEqual(sectionsOf(without));
    expect(diffPolicyTexts(withToc, without, { before: { format: 'html' }, after: { format: 'html' } }).changes).toEqual([]);
  });

  it('drops div-based menus, language bars and footers on a page without <main>', () => {
    const page = `<!doctype html><title>Privacy</title><body><div id="wrapper">
<div id="top"><div id="toplinks"><a href="/login">Client login</a> | <a href="#" onclick="showCookieSettings()">Cookie settings</a> | Call us: +353 1 555 0100</div></div>
<div id="menu"><ul><li><a href="/">Home</a></li><li><a href="/news">News</a></li></ul></div>
<div class="langbar">Language: <a href="?lang=en">English</a> | <a href="?lang=ga">Gaeilge</a></div>
<div id="content"><div id="leftcol"><div class="box"><h3>Latest news</h3><p><a href="/news/88">We achieved ISO 27001 certification for our security controls</a></p><p><a href="/news/87">New dashboard released</a></p></div></div>
<div id="maincol"><p><strong>1. Information We Collect</strong></p><p>We collect your name and email address.</p>
<p>When you use the Services we automatically collect log data, including your IP address, browser type and the pages you visit.</p>
<p>We also receive your business contact details from partners who refer you to us.</p>
<div class="header"><b>2. Sharing</b></div><p>We share data with our payment processor, which processes card payments on our behalf and under our instructions.</p>
<p><a href="/processors">Our list of processors</a></p></div></div>
<div id="footer"><p>Copyright © 2009-2024 Example Ltd. | <a href="/privacy-choices">Do Not Sell or Share My Personal Information</a></p></div>
</div></body>`;
    expect(sectionsOf(page)).toEqual([
      ['1. Information We Collect', 'We collect your name and email address.\nWhen you use the Services we automatically collect log data, including your IP address, browser type and the pages you visit.\nWe also receive your business contact details from partners who refer you to us.'],
      ['2. Sharing', 'We share data with our payment processor, which processes card payments on our behalf and under our instructions.\nOur list of processors'],
    ]);
  });
});

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
