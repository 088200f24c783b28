/**
 * Which part of an HTML page is the policy, and which elements inside it are site chrome.
 *
 * The policy's part (the "roots") is chosen first: the user's CSS selector, else <main>, else the
 * page's group of sibling <article>s, else <body>. Chrome is then removed inside the roots only,
 * so nothing that contains the policy (a WebForms <form>, a streamed `hidden` segment, a section
 * with id="cookies") can take it away. What counts as chrome follows the page's semantics
 * (HTML-AAM: <header>/<footer> are the page banner/contentinfo only outside sectioning content),
 * ARIA roles, what makes an element consent UI (its consent controls, or a known consent
 * platform's container), and the class vocabulary widely used for page widgets (as in Mozilla
 * Readability's unlikely-candidate list), never by one site's markup.
 */
import type * as cheerio from 'cheerio';
import { isTag, isText, type AnyNode, type Element } from 'domhandler';

// Elements that never hold readable policy text.
const NON_TEXT = new Set([
  'script', 'style', 'noscript', 'template', 'svg', 'iframe', 'canvas', 'object', 'embed', 'select', 'input', 'textarea', 'option', 'datalist',
]);

// Containers of widely used consent-management platforms, dropped whatever their size: a
// preference centre lists every purpose and vendor and runs past any length a banner has.
const CONSENT_PLATFORM_SELECTOR = [
  '#onetrust-consent-sdk', '#onetrust-banner-sdk', '#onetrust-pc-sdk', // OneTrust
  '#CybotCookiebotDialog', // Cookiebot
  '#usercentrics-root', '#usercentrics-cmp-ui', // Usercentrics
  '#didomi-host', '.didomi-popup', '.didomi-notice', // Didomi
  '#qc-cmp2-container', '.qc-cmp2-container', // Quantcast
  '#truste-consent-track', '#consent_blackbar', '.truste_box_overlay', // TrustArc
  '.osano-cm-window', '.osano-cm-dialog', // Osano
  '#cmplz-cookiebanner-container', '.cmplz-cookiebanner', // Complianz
  '.cky-consent-container', '.cky-modal', // CookieYes
  '#cookie-law-info-bar', '#cliSettingsPopup', // cookie-law-info (CookieYes for WordPress)
  '.cc-window', // cookieconsent
  '#iubenda-cs-banner', '#BorlabsCookieBox', '#cmpbox', '#sp_message_container', // iubenda, Borlabs, consentmanager, Sourcepoint
].join(',');

// An id or class naming cookies or consent: a banner's, or the policy's own cookie section's.
const CONSENT_ATTR_RE = /cookie|consent|gdpr|ccpa/i;
// What a consent banner's controls say: a decision, not a link to settings (which a policy's
// cookie section offers too). Banners are localised, so the common European languages' words too.
const CONSENT_DECISION_RE = new RegExp(String.raw`(?:^|\s)(?:(?:i\s+)?(?:accept|agree|allow|consent|reject|decline|deny|refuse|understand|got\s+it|ok(?:ay)?)\b|(?:save|confirm|submit)\s+(?:my\s+)?(?:choices|preferences|settings|selection)|use\s+(?:only\s+)?(?:necessary|essential)|continue\s+without|akzeptieren|zustimmen|ablehnen|einverstanden|accepter|refuser|j'accepte|aceptar|rechazar|accetta|rifiuta|aceitar|rejeitar|accepteren|weigeren|akkoord|acceptera|godkänn|avvisa|afvis|hyväksy|hylkää|zaakceptuj|odrzuć|akceptuję|přijmout|odmítnout)`, 'i');

// Class/id words of page layout, read only where no <main>/<article> marks the content (old div pages).
const LAYOUT_TOKEN_RE = /^(?:(?:site|page|global|main|top|bottom|primary)[-_]?)?(?:header|footer|menu|nav|navbar|navigation|masthead|topbar|toplinks|sidebar|sidenav)$/i;
const BREADCRUMB_RE = /breadcrumb/i;
const COMMENTS_TOKEN_RE = /^(?:comments?(?:[-_](?:area|list|section|wrapper|container))?|commentlist|comment[-_]respond|respond|disqus[-_]thread|article[-_]comments)$/i;
const RELATED_TOKEN_RE = /(?:^|[-_])(?:related|relatives|recommended|read[-_]?next|recent[-_]posts|more[-_]articles)(?:[-_]|$)/i;
const FEEDBACK_TOKEN_RE = /(?:^|[-_])(?:votes?|feedback|helpful(?:ness)?|rating|more[-_]questions)(?:[-_]|$)/i;
const FEEDBACK_TEXT_RE = /^(?:was this (?:page|article|answer|information|content) (?:helpful|useful)|did this (?:page|article|answer) help|is this page (?:helpful|useful))/i;
const LANGUAGE_TOKEN_RE = /(?:^|[-_])(?:lang(?:uage)?s?|locales?)[-_]?(?:switch(?:er)?|selector|select|picker|menu|bar|nav|list|chooser|dropdown)(?:[-_]|$)/i;
const PROMO_TOKEN_RE = /(?:^|[-_])(?:promo|promos|promotion|promotional|advert|advertisement|sponsor|sponsored)(?:[-_]|$)/i;
const SHARE_TOKEN_RE = /(?:^|[-_])(?:share|sharing|social)(?:[-_](?:buttons?|links|bar|tools|icons|widget))?$/i;
const BYLINE_TOKEN_RE = /(?:^|[-_])(?:byline|author|avatar|meta|metadata|dateline)(?:[-_]|$)/i;
const EFFECTIVE_LINE_RE = /\b(?:effective|last\s+(?:updated|revised|modified|changed)|updated\s*(?:on|:))/i;
const OVERLAY_TOKEN_RE = /^(?:modal|popup|pop-up|lightbox)$/i;

// Containers a side column is built from.
const SIDE_BOX_TAGS = new Set(['div', 'td', 'table', 'ul', 'ol', 'section', 'aside']);

export const HEADING_SELECTOR = 'h1,h2,h3,h4,h5,h6';

/** Text size of each element (non-space characters) and how much of it is link text. */
type Sizes = Map<AnyNode, { text: number; link: number }>;

function measure(node: AnyNode, sizes: Sizes, inLink = false): { text: number; link: number } {
  if (isText(node)) {
    const text = node.data.replace(/\s+/g, '').length;
    return { text, link: inLink ? text : 0 };
  }
  const size = { text: 0, link: 0 };
  if (!isTag(node) && node.type !== 'root') return size;
  const link = inLink || (isTag(node) && node.name === 'a' && node.attribs.href !== undefined);
  for (const child of (node as Element).children) {
    const childSize = measure(child, sizes, link);
    size.text += childSize.text;
    size.link += childSize.link;
  }
  sizes.set(node, size);
  return size;
}

/** Where an element sits, as far as its chrome-ness depends on it. */
interface Scope {
  /** Inside article, aside, main, nav or section: <header>/<footer> there belong to that part, not the page. */
  sectioned: boolean;
  /** Inside article or section: an <aside> there is a callout of the content. */
  inArticle: boolean;
  inMain: boolean;
  /** The roots were marked as content (<main>, <article>, a selector): layout class names are not read. */
  semantic: boolean;
  /** Inside a heading or <summary>: a <button> there is how an accordion writes its heading. */
  inHeading: boolean;
  /** Text size of all the roots together. */
  rootText: number;
}

class ChromeFinder {
  readonly #$: cheerio.CheerioAPI;
  readonly sizes: Sizes = new Map();
  // Matched once: compiling the selector for each element's .is() tripled the parse time.
  readonly #platforms: ReadonlySet<AnyNode>;

  constructor($: cheerio.CheerioAPI) {
    this.#$ = $;
    measure($.root()[0]!, this.sizes);
    this.#platforms = new Set($(CONSENT_PLATFORM_SELECTOR).toArray());
  }

  /** Removes the chrome inside each root; the roots themselves always stay. */
  prune(roots: Element[], semantic: boolean): void {
    const rootText = roots.reduce((sum, root) => sum + this.#size(root).text, 0);
    for (const root of roots) {
      const around = [root, ...this.#$(root).parents().toArray().filter(isTag)];
      const has = (names: string[]): boolean => around.some((el) => names.includes(el.name) || (names.includes('main') && el.attribs.role === 'main'));
      const scope = { sectioned: has(['article', 'aside', 'main', 'nav', 'section']), inArticle: has(['article', 'section']), inMain: has(['main']), semantic, inHeading: false, rootText };
      this.#pruneChildren(root, scope);
      if (!semantic) {
        measure(root, this.sizes); // without the chrome just removed, the content column stands out
        this.#removeSideBoxes(root);
      }
    }
  }

  /**
   * A page with no <main>/<article> still has a content column: the element that most of the
   * text is in (at 80 % at each step down, and not below an element holding headings, so that a
   * policy's single long section is not taken for it). Link boxes beside that column or its wrappers ("Latest news", "Quick links") are the
   * page's side columns, whatever their class names.
   */
  #removeSideBoxes(root: Element): void {
    let column = root;
    // An element with headings of its own is the policy's column: below it are its sections.
    while (!column.children.some((child) => isTag(child) && /^h[1-6]$/.test(child.name))) {
      const inner = column.children.find((child): child is Element => isTag(child) && this.#size(child).text * 5 >= this.#size(column).text * 4);
      if (!inner || this.#size(inner).text === 0) break;
      column = inner;
    }
    for (let node: Element = column; node !== root && node.parent && isTag(node.parent); node = node.parent) {
      for (const sibling of [...node.parent.children]) {
        if (sibling !== node && isTag(sibling) && SIDE_BOX_TAGS.has(sibling.name) && this.#linkDensity(sibling) >= 0.5) this.#$(sibling).remove();
      }
    }
  }

  #pruneChildren(parent: Element, scope: Scope): void {
    for (const child of [...parent.children]) {
      if (!isTag(child)) continue;
      if (this.#isChrome(child, scope)) {
        this.#$(child).remove();
        continue;
      }
      const name = child.name;
      this.#pruneChildren(child, {
        ...scope,
        sectioned: scope.sectioned || ['article', 'aside', 'main', 'nav', 'section'].includes(name),
        inArticle: scope.inArticle || name === 'article' || name === 'section',
        inMain: scope.inMain || name === 'main' || child.attribs.role === 'main',
        inHeading: scope.inHeading || /^h[1-6]$/.test(name) || name === 'summary',
      });
    }
  }

  #isChrome(el: Element, scope: Scope): boolean {
    const name = el.name;
    const role = (el.attribs.role ?? '').toLowerCase();
    if (NON_TEXT.has(name)) return true;
    if (name === 'button') return !scope.inHeading;
    if (name === 'dialog' || role === 'dialog' || role === 'alertdialog') return true;
    if (name === 'nav' || name === 'search' || ['navigation', 'search', 'banner', 'contentinfo'].includes(role)) return true;
    if ((name === 'header' || name === 'footer') && !scope.sectioned) return true;
    // A sidebar, unless it sits in the text (a callout) or is prose beside it in <main>.
    if (name === 'aside' || role === 'complementary') return !scope.inArticle && (!scope.inMain || this.#linkDensity(el) > 0.5);
    // A search, newsletter or comment form; WebForms wraps the whole page in one.
    if (name === 'form') return !this.#isMost(el, scope);
    // Hidden until used: accordion and tab panels hold policy text; menus, tooltips and placeholders do not.
    if ((el.attribs.hidden !== undefined || el.attribs['aria-hidden'] === 'true') && !this.#holdsProse(el)) return true;
    if (this.#platforms.has(el)) return true;
    if (name === 'main' || name === 'article' || name === 'body' || this.#isMost(el, scope)) return false;
    return this.#isConsentBanner(el) || this.#isWidget(el, scope);
  }

  /** A consent banner or preference centre: consent controls, in an element named for cookies or consent, or a short cookie notice. */
  #isConsentBanner(el: Element): boolean {
    const attrs = `${el.attribs.id ?? ''} ${el.attribs.class ?? ''} ${el.attribs['aria-label'] ?? ''}`;
    const named = CONSENT_ATTR_RE.test(attrs);
    const notice = !named && ['div', 'section', 'aside'].includes(el.name) && this.#size(el).text < 500;
    if (!named && !notice) return false;
    if (notice && (!/\bcookies?\b/i.test(this.#$(el).text()) || this.#$(el).find(HEADING_SELECTOR).length > 0)) return false;
    return this.#$(el).find('button, input, [role=button], a').toArray().some((control) => isTag(control) && this.#isConsentDecision(control));
  }

  #isConsentDecision(control: Element): boolean {
    if (control.name === 'a') {
      // A link acts as a button when it goes nowhere: no href, "#", or a script.
      const href = (control.attribs.href ?? '').trim();
      if (href !== '' && href !== '#' && !href.startsWith('javascript:') && control.attribs.role !== 'button' && control.attribs.onclick === undefined) return false;
    }
    const label = (this.#$(control).text().trim() || control.attribs.value || control.attribs['aria-label'] || '').trim();
    // A control's label is a few words; a sentence that mentions accepting is not one.
    return label.length <= 40 && CONSENT_DECISION_RE.test(label);
  }

  /** Page widgets by their widely used class names, each checked against what such a widget holds. */
  #isWidget(el: Element, scope: Scope): boolean {
    if (/^h[1-6]$/.test(el.name)) return false;
    // A section's id names its topic for in-page links (id="sharing", id="related-companies"), so
    // only layout, comment and breadcrumb words are read from ids; widget words from classes.
    const classes = (el.attribs.class ?? '').split(/\s+/).filter(Boolean);
    const tokens = [el.attribs.id ?? '', ...classes].filter(Boolean);
    const named = (re: RegExp): boolean => tokens.some((token) => re.test(token));
    const classNamed = (re: RegExp): boolean => classes.some((token) => re.test(token));
    const text = this.#size(el).text;
    if (!scope.semantic && named(LAYOUT_TOKEN_RE) && this.#isLayoutBox(el)) return true;
    if (named(BREADCRUMB_RE) || BREADCRUMB_RE.test(el.attribs['aria-label'] ?? '') || /BreadcrumbList/.test(el.attribs.itemtype ?? '')) return text < 500;
    if (named(COMMENTS_TOKEN_RE) && this.#$(el).find('form, time, textarea, [class*=comment-], [id*=comment-]').length > 0) return true;
    if (classNamed(BYLINE_TOKEN_RE) && this.#isByline(el)) return true;
    if (classNamed(RELATED_TOKEN_RE) || classNamed(SHARE_TOKEN_RE)) return this.#linkDensity(el) >= 0.5;
    if (classNamed(FEEDBACK_TOKEN_RE) && text < 500 && this.#$(el).find('button, a, input').length > 0) return true;
    if (text < 300 && FEEDBACK_TEXT_RE.test(this.#$(el).text().trim())) return true;
    if (classNamed(LANGUAGE_TOKEN_RE) || classes.includes('langbar')) return text < 300;
    if (this.#isLanguageList(el)) return true;
    if (classNamed(PROMO_TOKEN_RE)) return text < 500 && this.#$(el).find(HEADING_SELECTOR).length === 0;
    if (classNamed(OVERLAY_TOKEN_RE)) return true;
    return false;
  }

  /**
   * An article's byline (author, avatar, publication <time>): page metadata whose timestamps
   * change with every edit. A "Last updated:"/"Effective" line stays: it dates the policy.
   */
  #isByline(el: Element): boolean {
    const text = this.#$(el).text();
    return this.#size(el).text < 300 && this.#$(el).find('time, img, [rel=author]').length > 0 && !EFFECTIVE_LINE_RE.test(text);
  }

  /**
   * A page-layout box holds links or a logo; old CMSs also style a policy's own headings and
   * table header rows as class="header", and those hold neither.
   */
  #isLayoutBox(el: Element): boolean {
    return ['div', 'ul', 'ol', 'table', 'section'].includes(el.name) && this.#$(el).find('a[href], img').length > 0;
  }

  /** A block of links to the page in other languages (each link marked with its language). */
  #isLanguageList(el: Element): boolean {
    if (!['div', 'ul', 'ol', 'p', 'li', 'span'].includes(el.name)) return false;
    const links = this.#$(el).find('a[href]').toArray().filter(isTag);
    return links.length >= 2 && links.every((link) => link.attribs.hreflang !== undefined || link.attribs.lang !== undefined) && this.#linkDensity(el) > 0.8;
  }

  /** Enough readable text to be content: not a menu, a tooltip or a loading placeholder. */
  #holdsProse(el: Element): boolean {
    return this.#size(el).text >= 40 && this.#linkDensity(el) < 0.5;
  }

  /** Holds at least half of the policy's text: the content itself, not a widget in it. */
  #isMost(el: Element, scope: Scope): boolean {
    return scope.rootText > 0 && this.#size(el).text * 2 >= scope.rootText;
  }

  #linkDensity(el: Element): number {
    const size = this.#size(el);
    return size.text === 0 ? 0 : size.link / size.text;
  }

  #size(node: AnyNode): { text: number; link: number } {
    return this.sizes.get(node) ?? { text: 0, link: 0 };
  }
}

/**
 * React's streaming server rendering sends each part that was still loading as
 * `<div hidden id="S:n">` at the end of the body, and a script ($RC) moves it in place of the
 * fallback after `<template id="B:n">`. Done here, so the text is read where the browser shows it.
 */
function revealStreamedSegments($: cheerio.CheerioAPI): void {
  for (const segment of $('[hidden][id^="S:"]').toArray()) {
    if (!isTag(segment)) continue;
    const placeholder = $('template').filter((_, el) => isTag(el) && el.attribs.id === `B:${segment.attribs.id!.slice(2)}`).first();
    if (placeholder.length === 0) continue;
    // The fallback runs from the placeholder to the boundary's closing comment, <!--/$-->.
    for (let node = placeholder[0]!.next; node && !(node.type === 'comment' && node.data === '/$');) {
      const next = node.next;
      $(node).remove();
      node = next;
    }
    placeholder.replaceWith($(segment).contents());
    $(segment).remove();
  }
}

/** The page's group of sibling <article>s with the most text (one article per policy section), not one card among many. */
function articleGroup($: cheerio.CheerioAPI, sizes: Sizes): Element[] {
  const articles = $('article').toArray().filter((el): el is Element => isTag(el) && $(el).parents('article, aside, nav, header, footer').length === 0);
  const groups = new Map<AnyNode | null, Element[]>();
  for (const article of articles) groups.set(article.parent, [...(groups.get(article.parent) ?? []), article]);
  let best: Element[] = [];
  let bestText = 0;
  for (const group of groups.values()) {
    const text = group.reduce((sum, el) => sum + (sizes.get(el)?.text ?? 0), 0);
    if (text > bestText) [best, bestText] = [group, text];
  }
  return best;
}

/**
 * Finds the policy's part of the page and removes the chrome inside it. `select` (a CSS selector)
 * names the part; an unmatched selector is an error naming it, never an empty policy.
 */
export function policyRoots($: cheerio.CheerioAPI, select?: string): Element[] {
  revealStreamedSegments($);
  const finder = new ChromeFinder($);
  let roots: Element[];
  let semantic = true;
  if (select) {
    roots = $(select).toArray().filter(isTag);
    if (roots.length === 0) throw new Error(`selector "${select}" matched nothing on the page`);
  } else {
    const main = $('main, [role=main]').toArray().find(isTag);
    roots = main ? [main] : articleGroup($, finder.sizes);
    if (roots.length === 0) {
      semantic = false;
      roots = $('body').toArray().filter(isTag).slice(0, 1);
      if (roots.length === 0) roots = $.root().children().toArray().filter(isTag);
    }
  }
  finder.prune(roots, semantic);
  return roots;
}
