import { describe, expect, it } from 'vitest';
import { assessPage, assessRetention, detectLanguage } from '../../functions/core/page-validity.ts';

// A managed challenge as Cloudflare serves it (trimmed styles, same structure and markers).
const CLOUDFLARE_CHALLENGE = `<!DOCTYPE html><html lang="en-US"><head><title>Just a moment...</title><meta http-equiv="Content-Type" content="text/html; charset=UTF-8"><meta http-equiv="X-UA-Compatible" content="IE=Edge"><meta name="robots" content="noindex,nofollow"><meta name="viewport" content="width=device-width,initial-scale=1"><style>*{box-sizing:border-box;margin:0;padding:0}html{line-height:1.15;-webkit-text-size-adjust:100%;color:#313131;font-family:system-ui,-apple-system,BlinkMacSystemFont,"Segoe UI",Roboto,"Helvetica Neue",Arial,"Noto Sans",sans-serif}body{display:flex;flex-direction:column;height:100vh;min-height:100vh}.main-content{margin:8rem auto;max-width:60rem;padding-left:1.5rem}</style><meta http-equiv="refresh" content="390"></head><body class="no-js"><div class="main-wrapper" role="main"><div class="main-content"><noscript><div id="challenge-error-title"><div class="h2"><span class="icon-wrapper"><div class="heading-icon warning-icon"></div></span><span id="challenge-error-text">Enable JavaScript and cookies to continue</span></div></div></noscript></div></div><script>(function(){window._cf_chl_opt={cvId: '3',cZone: "www.example.com",cType: 'managed',cRay: '8d2c1f0a9b3e4c71',cH: 'q1Xy.Zt9',cUPMDTk: "\\/legal\\/privacy?__cf_chl_tk=Wq3",cFPWv: 'g',cITimeS: '1727776000',cTTimeMs: '1000',cMTimeMs: '390000',cTplC: 0,cTplV: 5,cTplB: 'cf',cK: "visitor-time",fa: "\\/legal\\/privacy?__cf_chl_f_tk=Wq3",md: "x9",cRq: {ru: 'aHR0cHM6Ly93d3cuZXhhbXBsZS5jb20vbGVnYWwvcHJpdmFjeQ==',ra: 'TW96aWxsYS81LjA=',d: 'abc',t: 'MTcyNzc3NjAwMC4wMDAwMDA=',cT: Math.floor(Date.now() / 1000),m: 'xyz'}};var cpo = document.createElement('script');cpo.src = '/cdn-cgi/challenge-platform/h/g/orchestrate/chl_page/v1?ray=8d2c1f0a9b3e4c71';window._cf_chl_opt.cOgUHash = location.hash === '' && location.href.indexOf('#') !== -1 ? '#' : location.hash;document.getElementsByTagName('head')[0].appendChild(cpo);}());</script></body></html>`;

const CLOUDFLARE_BLOCK = `<!DOCTYPE html>
<!--[if lt IE 7]> <html class="no-js ie6 oldie" lang="en-US"> <![endif]-->
<!--[if gt IE 8]><!--> <html class="no-js" lang="en-US"> <!--<![endif]-->
<head>
<title>Attention Required! | Cloudflare</title>
<meta charset="UTF-8" />
<link rel="stylesheet" id="cf_styles-css" href="/cdn-cgi/styles/cf.errors.css" />
</head>
<body>
  <div id="cf-wrapper">
    <div id="cf-error-details" class="cf-error-details-wrapper">
      <div class="cf-wrapper cf-header cf-error-overview">
        <h1 data-translate="block_headline">Sorry, you have been blocked</h1>
        <h2 class="cf-subheadline"><span data-translate="unable_to_access">You are unable to access</span> example.com</h2>
      </div>
      <div class="cf-section cf-wrapper">
        <h2 data-translate="blocked_why_headline">Why have I been blocked?</h2>
        <p data-translate="blocked_why_detail">This website is using a security service to protect itself from online attacks. The action you just performed triggered the security solution.</p>
      </div>
      <div class="cf-error-footer cf-wrapper">
        <p><span>Cloudflare Ray ID: <strong>8d2c1f0a9b3e4c71</strong></span> &bull; <span>Performance &amp; security by Cloudflare</span></p>
      </div>
    </div>
  </div>
</body>
</html>`;

const AKAMAI_DENIED = `<HTML><HEAD>
<TITLE>Access Denied</TITLE>
</HEAD><BODY>
<H1>Access Denied</H1>
 
You don't have permission to access "http&#58;&#47;&#47;www&#46;example&#46;com&#47;legal&#47;privacy" on this server.<P>
Reference&#32;&#35;18&#46;2d3c1402&#46;1727776000&#46;1a2b3c4d
<P>https&#58;&#47;&#47;errors&#46;edgesuite&#46;net&#47;18&#46;2d3c1402&#46;1727776000&#46;1a2b3c4d</P>
</BODY>
</HTML>`;

const SOFT_404 = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Page Not Found | Acme</title><link rel="stylesheet" href="/assets/site.css"></head>
<body>
<header class="site-header"><nav><a href="/">Home</a> <a href="/products">Products</a> <a href="/pricing">Pricing</a> <a href="/blog">Blog</a> <a href="/about">About us</a> <a href="/contact">Contact</a></nav></header>
<main>
  <h1>Oops! We can't find that page.</h1>
  <p>The page you are looking for may have been moved, renamed or deleted. Try searching, or head back to the <a href="/">home page</a>.</p>
  <form action="/search"><input name="q" placeholder="Search"><button>Search</button></form>
</main>
<footer><p>&copy; 2024 Acme Inc. All rights reserved.</p><a href="/privacy">Privacy</a> <a href="/terms">Terms</a> <a href="/cookies">Cookies</a></footer>
</body></html>`;

const POLICY_PARAGRAPHS = [
  ['1. Information we collect', 'We collect information you provide directly to us, such as when you create an account, subscribe to our newsletter, fill out a form, or contact customer support. This information may include your name, email address, postal address, phone number, and payment details.'],
  ['2. How we use your information', 'We use the information we collect to provide, maintain, and improve our services, to process transactions and send related notices, to respond to your comments and questions, and to monitor and analyze trends, usage, and activities in connection with our services.'],
  ['3. Security', 'Our website is protected by Cloudflare and by Google reCAPTCHA, which may collect hardware and software information. If you are denied access because our systems suspect automated traffic, please contact us. Pages that are not found are logged to help us fix broken links.'],
  ['4. Sharing of information', 'We may share information with vendors, consultants, and other service providers who need access to such information to carry out work on our behalf, and in response to a request for information if we believe disclosure is required by applicable law.'],
  ['5. Data retention', 'We retain personal information for as long as your account is active and for a period of thirty days afterwards, unless a longer retention period is required or permitted by law, for example for tax and accounting purposes.'],
  ['6. Your rights', 'Depending on where you live, you may have the right to access, correct, delete, or port your personal information, and to object to or restrict certain processing. To exercise these rights, contact us at privacy@acme.example. We will respond within thirty days.'],
  ['7. Changes to this policy', 'We may change this privacy policy from time to time. If we make changes, we will notify you by revising the date at the top of the policy and, in some cases, we may provide you with additional notice, such as by sending you an email notification.'],
];

const ENGLISH_POLICY = `<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><title>Privacy Policy – Acme</title><script src="https://www.google.com/recaptcha/api.js" async defer></script></head>
<body>
<nav><a href="/">Home</a> <a href="/privacy">Privacy</a></nav>
<main>
<h1>Privacy Policy</h1>
<p>Last updated: October 1, 2024</p>
${POLICY_PARAGRAPHS.map(([heading, text]) => `<h2>${heading}</h2>\n<p>${text}</p>`).join('\n')}
</main>
<footer>
<form action="/newsletter" method="post"><input type="email" name="email"><div class="g-recaptcha" data-sitekey="6Lc_aCMTAAAAABx7u2W0WPXnVbI_v6ZdbM6rYf16"></div><button>Subscribe</button></form>
<p>&copy; 2024 Acme Inc.</p>
</footer>
</body>`;

const GERMAN_POLICY = `<!DOCTYPE html>
<html lang="de"><head><meta charset="utf-8"><title>Datenschutzerklärung – Acme</title></head>
<body><main>
<h1>Datenschutzerklärung</h1>
<h2>1. Welche Daten wir erheben</h2>
<p>Wir erheben personenbezogene Daten, die Sie uns bei der Registrierung, beim Abonnieren unseres Newsletters oder bei einer Anfrage an unseren Kundendienst mitteilen. Dazu gehören insbesondere Ihr Name, Ihre E-Mail-Adresse, Ihre Anschrift und Ihre Zahlungsdaten.</p>
<h2>2. Wofür wir Ihre Daten verwenden</h2>
<p>Wir verwenden Ihre Daten, um unsere Dienste bereitzustellen, zu verbessern und abzusichern, um Zahlungen abzuwickeln und um Ihre Fragen zu beantworten. Die Verarbeitung erfolgt auf Grundlage von Art. 6 Abs. 1 lit. b und f DSGVO.</p>
<h2>3. Speicherdauer</h2>
<p>Wir speichern Ihre Daten nur so lange, wie es für die genannten Zwecke erforderlich ist oder gesetzliche Aufbewahrungsfristen dies vorschreiben. Danach werden die Daten gelöscht.</p>
<h2>4. Ihre Rechte</h2>
<p>Sie haben das Recht auf Auskunft, Berichtigung, Löschung und Einschränkung der Verarbeitung sowie auf Datenübertragbarkeit. Außerdem können Sie sich bei einer Aufsichtsbehörde beschweren.</p>
</main></body></html>`;

describe('assessPage', () => {
  it('accepts a normal policy page, even one that mentions reCAPTCHA, Cloudflare and "not found" and omits </html>', () => {
    expect(assessPage(ENGLISH_POLICY, 'text/html; charset=utf-8')).toEqual({ ok: true });
  });

  it('accepts plain-text and Markdown policies', () => {
    const text = POLICY_PARAGRAPHS.map(([heading, body]) => `${heading}\n\n${body}`).join('\n\n');

    expect(assessPage(text, 'text/plain; charset=utf-8')).toEqual({ ok: true });
    expect(assessPage(`# Privacy Policy\n\n${text}`, 'text/markdown')).toEqual({ ok: true });
  });

  it('refuses a Cloudflare managed challenge', () => {
    expect(assessPage(CLOUDFLARE_CHALLENGE, 'text/html; charset=UTF-8')).toEqual({
      ok: false,
      reason: 'bot-challenge',
      detail: 'Cloudflare "Just a moment..." (0 characters of text)',
    });
  });

  it('refuses a Cloudflare block page and an Akamai "Access Denied" page', () => {
    expect(assessPage(CLOUDFLARE_BLOCK, 'text/html')).toMatchObject({ ok: false, reason: 'bot-challenge', detail: expect.stringMatching(/^Cloudflare "Attention Required!" \(\d+ characters of text\)$/) });
    expect(assessPage(AKAMAI_DENIED, 'text/html')).toMatchObject({ ok: false, reason: 'bot-challenge', detail: expect.stringMatching(/^Akamai reference \(\d+ characters of text\)$/) });
  });

  it('refuses a captcha interstitial but not a long page that embeds a captcha widget', () => {
    const interstitial = '<html><head><title>Security check</title></head><body><p>Please complete the security check to continue.</p><div class="h-captcha" data-sitekey="10000000-ffff-ffff-ffff-000000000001"></div><script src="https://js.hcaptcha.com/1/api.js"></script></body></html>';

    expect(assessPage(interstitial, 'text/html')).toMatchObject({ ok: false, reason: 'bot-challenge', detail: expect.stringMatching(/^hCaptcha widget/) });
    expect(assessPage(ENGLISH_POLICY.replace('g-recaptcha', 'h-captcha'), 'text/html')).toEqual({ ok: true });
  });

  it('refuses soft 404 and 5xx pages served with a 200', () => {
    expect(assessPage(SOFT_404, 'text/html')).toMatchObject({ ok: false, reason: 'error-page', detail: expect.stringMatching(/^not-found page/) });
    expect(assessPage('404 page not found\n', 'text/plain; charset=utf-8')).toMatchObject({ ok: false, reason: 'error-page' });
    expect(assessPage('<html><head><title>Error</title></head><body><h1>503 Service Temporarily Unavailable</h1><hr><center>nginx</center></body></html>', 'text/html'))
      .toMatchObject({ ok: false, reason: 'error-page', detail: expect.stringMatching(/^server-error page/) });
  });

  it('refuses empty bodies and pages with no visible text', () => {
    expect(assessPage('', 'text/html')).toEqual({ ok: false, reason: 'empty', detail: 'the body is empty or whitespace only' });
    expect(assessPage(' \n\t ', 'text/plain')).toMatchObject({ ok: false, reason: 'empty' });
    const spaShell = '<!doctype html><html><head><title>Acme</title><script src="/static/js/main.3f2a.js"></script></head><body><noscript>You need to enable JavaScript to run this app.</noscript><div id="root"></div></body></html>';
    expect(assessPage(spaShell, 'text/html')).toEqual({ ok: false, reason: 'empty', detail: 'the page has no visible text (rendered by JavaScript?)' });
  });

  it('refuses binary content types and binary bytes, and sniffs unlabelled bodies', () => {
    expect(assessPage('%PDF-1.7\n1 0 obj', 'application/pdf')).toEqual({ ok: false, reason: 'binary', detail: 'content type application/pdf is not text' });
    expect(assessPage('\u0089PNG\r\n', 'image/png')).toMatchObject({ ok: false, reason: 'binary' });
    expect(assessPage('PK\u0003\u0004\u0014\u0000\u0006\u0000', 'application/octet-stream')).toEqual({ ok: false, reason: 'binary', detail: 'the body contains NUL bytes' });
    expect(assessPage('%PDF-1.4 ...', 'binary/octet-stream')).toEqual({ ok: false, reason: 'binary', detail: 'the body is a PDF' });
    expect(assessPage('text with a \u0000 NUL', 'text/html')).toMatchObject({ ok: false, reason: 'binary' });
    // S3 objects uploaded without a type are served as octet-stream; a real HTML policy there is fine.
    expect(assessPage(ENGLISH_POLICY, 'application/octet-stream')).toEqual({ ok: true });
  });

  it('refuses a body cut inside a tag or shorter than its Content-Length', () => {
    expect(assessPage(`${ENGLISH_POLICY.slice(0, 2600)}<a hre`, 'text/html')).toEqual({ ok: false, reason: 'truncated', detail: 'the body ends inside an HTML tag' });
    expect(assessPage(ENGLISH_POLICY, 'text/html', { contentLength: 9000, receivedBytes: 4096 })).toEqual({
      ok: false,
      reason: 'truncated',
      detail: 'received 4096 of 9000 bytes (Content-Length)',
    });
    expect(assessPage(ENGLISH_POLICY, 'text/html', { contentLength: 4096, receivedBytes: 4096 })).toEqual({ ok: true });
    // A text comparison at the very end is not a tag.
    expect(assessPage(`${ENGLISH_POLICY}\n<p>Children under 13 < 5% of users`, 'text/html')).toEqual({ ok: true });
  });

  it('refuses a page that shrank below 30% of the baseline sections', () => {
    expect(assessPage(ENGLISH_POLICY, 'text/html', { baselineSectionCount: 20, currentSectionCount: 5 })).toEqual({
      ok: false,
      reason: 'shrunk',
      detail: '5 sections, down from 20 in the baseline',
    });
    expect(assessPage(ENGLISH_POLICY, 'text/html', { baselineSectionCount: 20, currentSectionCount: 6 })).toEqual({ ok: true });
  });

  it('refuses a German page against an English baseline and accepts it against a German one', () => {
    expect(assessPage(GERMAN_POLICY, 'text/html', { baselineLanguage: 'eng' })).toEqual({
      ok: false,
      reason: 'language',
      detail: 'the page reads as deu, the baseline as eng',
    });
    expect(assessPage(GERMAN_POLICY, 'text/html', { baselineLanguage: 'deu' })).toEqual({ ok: true });
    expect(assessPage(ENGLISH_POLICY, 'text/html', { baselineLanguage: 'eng' })).toEqual({ ok: true });
  });

  it('skips the language check when the text is too short to tell', () => {
    expect(assessPage('<html><body><h1>Datenschutz</h1><p>Wir speichern keine Daten.</p></body></html>', 'text/html', { baselineLanguage: 'eng' })).toEqual({ ok: true });
  });
});

describe('assessRetention', () => {
  it('refuses a page that keeps under 30% of the baseline sections, and ignores tiny baselines', () => {
    expect(assessRetention(8, 6)).toEqual({ ok: false, reason: 'unrelated', detail: "only 2 of the baseline's 8 sections are found on the page" });
    expect(assessRetention(10, 7)).toEqual({ ok: true });
    expect(assessRetention(2, 2)).toEqual({ ok: true });
  });
});

describe('detectLanguage', () => {
  it('names the language of visible text in ISO 639-3, or und below 200 characters', () => {
    expect(detectLanguage(ENGLISH_POLICY)).toBe('eng');
    expect(detectLanguage(GERMAN_POLICY)).toBe('deu');
    expect(detectLanguage('Wir speichern keine Daten.')).toBe('und');
  });
});
