/**
 * Is a fetched body really the policy? A 200 response can still be a bot challenge, a soft 404,
 * an empty JavaScript shell, a cut-off body or a page in another language; diffing any of those
 * against the baseline would report a bogus "change". These checks turn them into fetch failures.
 *
 * Every rule errs towards "ok": a false alarm here hides a real change for as long as it lasts,
 * so content markers only count on short pages (real policies run to thousands of characters,
 * while challenge and error pages are a few hundred), and a missing </html> is not truncation.
 */
import { loadHtml } from './html-dom.ts';
import { identifyLanguage } from './language.ts';

/** Why a page is not a usable policy snapshot; also a `FetchReason` (functions/adapters/errors.ts). */
export type PageProblem = 'empty' | 'binary' | 'bot-challenge' | 'error-page' | 'truncated' | 'shrunk' | 'language' | 'unrelated';

export type PageAssessment = { ok: true } | { ok: false; reason: PageProblem; detail: string };

export interface AssessPageOptions {
  /** Sections in the approved baseline; with `currentSectionCount`, enables the shrink check. */
  baselineSectionCount?: number;
  /** Sections found in this page after normalization. */
  currentSectionCount?: number;
  /** ISO 639-3 code of the baseline (see `detectLanguage`); enables the language check. */
  baselineLanguage?: string;
  /** The Content-Length the server announced, and the bytes received (both on the wire). */
  contentLength?: number;
  receivedBytes?: number;
}

/** A page whose section count falls below this share of the baseline's is refused. */
export const SHRINK_RATIO = 0.3;
/**
 * A page in which fewer than this share of the baseline's sections can be found at all (the
 * rest align as `removed`) is another page: the URL now serves the home page, a login form or a
 * different document. Reported as a change, it would mail every section as removed.
 */
export const MIN_RETAINED_SHARE = 0.3;
/** Below this many baseline sections, "most sections are gone" says too little. */
const MIN_SECTIONS_FOR_RETENTION = 3;
/** Below this many characters of text, language detection is unreliable and returns 'und'. */
export const MIN_LANGUAGE_CHARS = 200;

// Challenge and block pages show a few hundred characters; the strong markers below are only
// trusted on pages this short, the weak ones (a captcha widget a real page might also embed,
// "Access denied") on even shorter ones.
const STRONG_MARKER_MAX_CHARS = 3000;
const WEAK_MARKER_MAX_CHARS = 1500;
// Soft-404 pages can carry a large menu and footer, so their limit is higher; a real policy
// with an error-like title *and* under this much text is not plausible.
const ERROR_PAGE_MAX_CHARS = 5000;

interface Marker {
  label: string;
  pattern: RegExp;
  /** `title`: the <title>; `heading`: title or first h1; `text`: all text incl. <noscript>; `html`: raw markup. */
  in: 'title' | 'heading' | 'text' | 'html';
  maxChars: number;
}

const BOT_CHALLENGE_MARKERS: Marker[] = [
  { label: 'Cloudflare "Just a moment..."', pattern: /^just a moment(\.{3}|…)?$/i, in: 'title', maxChars: STRONG_MARKER_MAX_CHARS },
  { label: 'Cloudflare "Attention Required!"', pattern: /attention required! \| cloudflare/i, in: 'title', maxChars: STRONG_MARKER_MAX_CHARS },
  { label: 'Cloudflare challenge script', pattern: /_cf_chl_opt|\bcf-chl-|__cf_chl_/, in: 'html', maxChars: STRONG_MARKER_MAX_CHARS },
  { label: '"Checking your browser"', pattern: /checking (your browser|if the site connection is secure)/i, in: 'text', maxChars: STRONG_MARKER_MAX_CHARS },
  { label: '"Enable JavaScript and cookies to continue"', pattern: /enable javascript and cookies to continue/i, in: 'text', maxChars: STRONG_MARKER_MAX_CHARS },
  { label: 'DDoS protection page', pattern: /ddos protection by|ddos-guard/i, in: 'text', maxChars: STRONG_MARKER_MAX_CHARS },
  { label: 'Imperva/Incapsula block', pattern: /_Incapsula_Resource|Incapsula incident ID/i, in: 'html', maxChars: STRONG_MARKER_MAX_CHARS },
  { label: '"Pardon Our Interruption"', pattern: /pardon our interruption/i, in: 'text', maxChars: STRONG_MARKER_MAX_CHARS },
  { label: 'Akamai reference', pattern: /reference\s*#\s*\d+\.[0-9a-f]+\.\d+\.[0-9a-f]+|errors\.edgesuite\.net/i, in: 'text', maxChars: STRONG_MARKER_MAX_CHARS },
  { label: 'DataDome captcha', pattern: /captcha-delivery\.com/i, in: 'html', maxChars: STRONG_MARKER_MAX_CHARS },
  { label: 'PerimeterX captcha', pattern: /px-captcha|"press (&|&amp;) hold"/i, in: 'html', maxChars: STRONG_MARKER_MAX_CHARS },
  { label: 'AWS WAF challenge', pattern: /AwsWafIntegration|token\.awswaf\.com/i, in: 'html', maxChars: WEAK_MARKER_MAX_CHARS },
  { label: 'reCAPTCHA widget', pattern: /\bg-recaptcha\b/i, in: 'html', maxChars: WEAK_MARKER_MAX_CHARS },
  { label: 'hCaptcha widget', pattern: /\bh-captcha\b|hcaptcha\.com\/1\/api/i, in: 'html', maxChars: WEAK_MARKER_MAX_CHARS },
  { label: '"Verify you are human"', pattern: /verify (that )?you are (a )?human|are you a robot\??/i, in: 'text', maxChars: WEAK_MARKER_MAX_CHARS },
  { label: '"Access denied"', pattern: /\baccess denied\b|you don't have permission to access/i, in: 'heading', maxChars: WEAK_MARKER_MAX_CHARS },
];

const ERROR_PAGE_MARKERS: Marker[] = [
  {
    label: 'not-found page',
    pattern: /^\s*(error\s*)?(404|410)\b|\b(404|410)\s*$|\b(404|410)\b.*\b(error|not found|gone)\b|\b(page|file|document|resource)\s+(was\s+)?(not|could not be)\s+found\b|^\s*not found\s*$|\bpage (does not|doesn'?t|no longer) exists?\b|\bcan(no|')?t find (that|this|the) page\b/i,
    in: 'heading',
    maxChars: ERROR_PAGE_MAX_CHARS,
  },
  {
    label: 'server-error page',
    pattern: /\b(internal server error|service (temporarily )?unavailable|bad gateway|gateway time-?out|50[0234] error|error 50[0234])\b/i,
    in: 'heading',
    maxChars: ERROR_PAGE_MAX_CHARS,
  },
  { label: 'maintenance page', pattern: /\b(under maintenance|down for maintenance|maintenance mode)\b/i, in: 'heading', maxChars: ERROR_PAGE_MAX_CHARS },
];

// Types that may be text even though they say nothing: sniff the body instead of refusing.
const UNLABELLED_TYPES = new Set(['', 'application/octet-stream', 'binary/octet-stream', 'application/unknown', 'unknown/unknown']);
const TEXT_TYPE = /^(text\/[\w.+-]+|application\/(xhtml\+xml|xml|json|javascript|x-javascript)|[\w.-]+\/[\w.-]+\+(xml|json))$/;
const SNIFF_CHARS = 8192;

/** Checks that a fetched, decoded body looks like a real policy page; see the module comment. */
export function assessPage(text: string, contentType: string, opts: AssessPageOptions = {}): PageAssessment {
  if (text.trim() === '') return problem('empty', 'the body is empty or whitespace only');

  const binary = detectBinary(text, contentType);
  if (binary !== undefined) return problem('binary', binary);

  if (opts.contentLength !== undefined && opts.receivedBytes !== undefined && opts.receivedBytes < opts.contentLength) {
    return problem('truncated', `received ${opts.receivedBytes} of ${opts.contentLength} bytes (Content-Length)`);
  }

  const page = readPage(text, contentType);
  const challenge = findMarker(BOT_CHALLENGE_MARKERS, page);
  if (challenge !== undefined) return problem('bot-challenge', challenge);
  const errorPage = findMarker(ERROR_PAGE_MARKERS, page);
  if (errorPage !== undefined) return problem('error-page', errorPage);

  if (page.visibleText === '') {
    return problem('empty', page.isHtml ? 'the page has no visible text (rendered by JavaScript?)' : 'the body has no text');
  }
  if (page.isHtml && endsInsideTag(text)) return problem('truncated', 'the body ends inside an HTML tag');

  const { baselineSectionCount, currentSectionCount } = opts;
  if (baselineSectionCount !== undefined && currentSectionCount !== undefined && baselineSectionCount > 0 &&
      currentSectionCount < SHRINK_RATIO * baselineSectionCount) {
    return problem('shrunk', `${currentSectionCount} sections, down from ${baselineSectionCount} in the baseline`);
  }

  if (opts.baselineLanguage !== undefined && opts.baselineLanguage !== 'und') {
    const language = detectLanguage(page.visibleText);
    if (language !== 'und' && language !== opts.baselineLanguage) {
      return problem('language', `the page reads as ${language}, the baseline as ${opts.baselineLanguage}`);
    }
  }
  return { ok: true };
}

/**
 * Checks, after alignment, that the page is still the baseline's document: at least
 * MIN_RETAINED_SHARE of the baseline's sections must be found in it (as they were, edited,
 * moved or renamed). A real rewrite that keeps nothing is rare and worth a human look anyway.
 */
export function assessRetention(baselineSectionCount: number, removedSectionCount: number): PageAssessment {
  if (baselineSectionCount < MIN_SECTIONS_FOR_RETENTION) return { ok: true };
  const retained = baselineSectionCount - removedSectionCount;
  if (retained < MIN_RETAINED_SHARE * baselineSectionCount) {
    return problem('unrelated', `only ${retained} of the baseline's ${baselineSectionCount} sections are found on the page`);
  }
  return { ok: true };
}

/**
 * ISO 639-3 code of the text's language (see language.ts), or 'und' under MIN_LANGUAGE_CHARS of
 * text or when undecided. HTML is reduced to its visible text first. The sample of 2,048
 * characters comes from the middle, away from menus, language pickers and cookie banners at
 * either end.
 */
export function detectLanguage(text: string): string {
  const plain = looksLikeHtml(text) ? readPage(text, 'text/html').visibleText : collapseWhitespace(text);
  if (plain.length < MIN_LANGUAGE_CHARS) return 'und';
  const sampleLength = 2048;
  const start = Math.max(0, Math.floor((plain.length - sampleLength) / 2));
  return identifyLanguage(plain.slice(start, start + sampleLength));
}

interface PageView {
  isHtml: boolean;
  raw: string;
  title: string;
  /** The <title> and first <h1> (or, for plain text, the first line). */
  headings: string[];
  /** Text a reader would see: no scripts, styles or <noscript>. */
  visibleText: string;
  /** Visible text plus <noscript> content (where challenge pages put their message). */
  allText: string;
}

function readPage(text: string, contentType: string): PageView {
  const isHtml = /html|xml/i.test(contentType) || looksLikeHtml(text);
  if (!isHtml) {
    const visibleText = collapseWhitespace(text);
    const firstLine = text.trim().split('\n', 1)[0]?.trim() ?? '';
    return { isHtml, raw: text, title: '', headings: [firstLine], visibleText, allText: visibleText };
  }
  const $ = loadHtml(text);
  const title = collapseWhitespace($('title').first().text());
  const h1 = collapseWhitespace($('h1').first().text());
  $('script, style, template, svg, title').remove();
  const allText = collapseWhitespace($.root().text());
  $('noscript').remove();
  const visibleText = collapseWhitespace($.root().text());
  return { isHtml, raw: text, title, headings: [title, h1].filter((heading) => heading !== ''), visibleText, allText };
}

function findMarker(markers: readonly Marker[], page: PageView): string | undefined {
  for (const marker of markers) {
    if (page.visibleText.length > marker.maxChars) continue;
    const haystacks = marker.in === 'title' ? [page.title]
      : marker.in === 'heading' ? page.headings
      : marker.in === 'text' ? [page.allText]
      : [page.raw];
    if (haystacks.some((haystack) => marker.pattern.test(haystack))) {
      return `${marker.label} (${page.visibleText.length} characters of text)`;
    }
  }
  return undefined;
}

function detectBinary(text: string, contentType: string): string | undefined {
  const type = (contentType.split(';', 1)[0] ?? '').trim().toLowerCase();
  if (!UNLABELLED_TYPES.has(type) && !TEXT_TYPE.test(type)) return `content type ${type} is not text`;
  const head = text.slice(0, SNIFF_CHARS);
  if (head.startsWith('%PDF-')) return 'the body is a PDF';
  if (head.includes('\u0000')) return 'the body contains NUL bytes';
  // Undecodable bytes (U+FFFD) and C0 controls other than tab/newline/form-feed/CR.
  const suspicious = head.match(/[\u0001-\u0008\u000b\u000e-\u001f\ufffd]/g)?.length ?? 0;
  if (suspicious > head.length * 0.05) return `${suspicious} of the first ${head.length} characters are control or undecodable bytes`;
  return undefined;
}

/**
 * True when the body stops inside a tag (`…<a hre`). Many valid pages omit </body></html>, so
 * that alone proves nothing; an unclosed tag at the very end does.
 */
function endsInsideTag(html: string): boolean {
  const tail = html.trimEnd().slice(-500);
  const open = tail.lastIndexOf('<');
  return open > tail.lastIndexOf('>') && /^<[a-zA-Z!/]/.test(tail.slice(open));
}

function looksLikeHtml(text: string): boolean {
  return /^\s*(<!doctype html|<html[\s>]|<head[\s>]|<body[\s>])/i.test(text.slice(0, 1024).replace(/^\ufeff/, ''));
}

function collapseWhitespace(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

function problem(reason: PageProblem, detail: string): PageAssessment {
  return { ok: false, reason, detail };
}
