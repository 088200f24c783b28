/**
 * HTML → blocks with cheerio. Page chrome (navigation, header, footer, scripts, cookie banners)
 * is dropped (html-chrome.ts); headings, paragraphs, list items and table rows are kept as text in
 * reading order.
 * Link targets never reach the text, so a link-URL-only edit is invisible.
 */
import type * as cheerio from 'cheerio';
import type { AnyNode, Element } from 'domhandler';
import type { Block } from './types.ts';
import { TOC_LABEL_RE, dropPageChrome } from './chrome.ts';
import { HEADING_SELECTOR, policyRoots } from './html-chrome.ts';
import { loadHtml } from './html-dom.ts';
import { foldText, normalizeInline } from './text.ts';

const BLOCK_TAGS = new Set([
  'p', 'div', 'section', 'article', 'main', 'li', 'dt', 'dd', 'td', 'th', 'blockquote', 'pre', 'address',
  'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'ul', 'ol', 'dl', 'table', 'tbody', 'thead', 'tr', 'figure', 'figcaption', 'details', 'summary', 'body', 'center',
  // Kept when they hold policy text (html-chrome.ts): a header in an article, a callout, a WebForms page.
  'header', 'footer', 'aside', 'form', 'fieldset', 'hgroup',
]);

function hasBlockChild(el: Element): boolean {
  return el.children.some((c) => c.type === 'tag' && BLOCK_TAGS.has((c as Element).tagName));
}

function inlineOf($: cheerio.CheerioAPI, nodes: AnyNode[]): string {
  return nodes
    .map((n) => (n.type === 'tag' && (n as Element).tagName === 'br' ? '\n' : $(n).text()))
    .join('');
}

/** The children that carry text: an empty anchor (`<a name="s1"></a>`) or stray <br> is no content. */
function meaningfulChildren($: cheerio.CheerioAPI, el: Element): AnyNode[] {
  return el.children.filter((c) => (c.type === 'text' || c.type === 'tag') && $(c).text().trim() !== '');
}

function isBold(node: AnyNode | undefined): boolean {
  return node?.type === 'tag' && ['strong', 'b'].includes((node as Element).tagName);
}

function isWhollyBold($: cheerio.CheerioAPI, el: Element): boolean {
  const meaningful = meaningfulChildren($, el);
  return meaningful.length === 1 && isBold(meaningful[0]);
}

/**
 * Bold text a heading can be: short, and not a sentence. "We do not sell your personal
 * information." in bold is emphasis; as a heading, an edit to it would read as a rename.
 */
function isHeadingLike(text: string): boolean {
  return text.length <= 120 && !(/[.!?]["”’)]?$/.test(text) && text.split(/\s+/).length >= 5);
}

/** `<p><strong>1. Heading</strong><br>Text</p>`, as pasted into CMS editors: the bold lead and the rest. */
function boldLead($: cheerio.CheerioAPI, el: Element): { heading: string; rest: AnyNode[] } | undefined {
  const first = meaningfulChildren($, el)[0];
  if (!isBold(first)) return undefined;
  let next = first!.next;
  while (next && next.type === 'text' && !$(next).text().trim()) next = next.next;
  if (next?.type !== 'tag' || (next as Element).tagName !== 'br') return undefined;
  const heading = normalizeInline($(first!).text());
  const rest = el.children.slice(el.children.indexOf(next as Element) + 1);
  if (!isHeadingLike(heading) || !normalizeInline(inlineOf($, rest))) return undefined;
  return { heading, rest };
}

/**
 * The level of a <summary> heading: one below the heading its <details> falls under, found among
 * the preceding siblings of the <details> and of its ancestors. A sibling <section>, <article> or
 * <details> is a part of its own, so a heading inside it does not count. The search stays inside
 * the policy's roots.
 */
function summaryLevel($: cheerio.CheerioAPI, summary: Element, roots: ReadonlySet<AnyNode>): number {
  for (let node: AnyNode | null = summary.parent; node && node.type === 'tag' && !roots.has(node); node = node.parent) {
    for (let sibling = node.prev; sibling; sibling = sibling.prev) {
      if (sibling.type !== 'tag' || ['section', 'article', 'aside', 'details'].includes((sibling as Element).tagName)) continue;
      // A tag-name test first: cheerio compiles the selector on every `.is()`.
      const heading = /^h[1-6]$/.test((sibling as Element).tagName) ? $(sibling) : $(sibling).find(HEADING_SELECTOR).last();
      if (heading.length > 0) return Math.min(6, Number(heading[0]!.tagName.slice(1)) + 1);
    }
  }
  return 2;
}

function walk($: cheerio.CheerioAPI, el: Element, blocks: Block[], roots: ReadonlySet<AnyNode>): void {
  const tag = el.tagName;
  const heading = /^h([1-6])$/.exec(tag);
  if (heading) {
    const text = normalizeInline($(el).text());
    if (text) blocks.push({ kind: 'heading', level: Number(heading[1]), text });
    return;
  }
  // An accordion's <summary> without a heading inside is the heading of its <details>.
  if (tag === 'summary' && $(el).find(HEADING_SELECTOR).length === 0) {
    const text = normalizeInline($(el).text());
    if (text) blocks.push({ kind: 'heading', level: summaryLevel($, el, roots), text });
    return;
  }
  // A table row of plain cells is one line ("Invoices | 7 years"), so a changed cell is reported
  // with the row it belongs to and obligations see the data kind beside its period.
  if (tag === 'tr') {
    const cells = el.children.filter((c): c is Element => c.type === 'tag' && (c.tagName === 'td' || c.tagName === 'th'));
    if (cells.length > 0 && cells.every((cell) => !hasBlockChild(cell))) {
      const text = cells.map((cell) => normalizeInline(inlineOf($, cell.children))).filter(Boolean).join(' | ');
      if (text) blocks.push({ kind: 'line', text, gapBefore: 1 });
      return;
    }
  }
  if (!hasBlockChild(el)) {
    const text = normalizeInline(inlineOf($, el.children));
    if (!text) return;
    if (tag === 'li' || tag === 'dd') blocks.push({ kind: 'list-item', text });
    else if (isWhollyBold($, el) && isHeadingLike(text)) blocks.push({ kind: 'heading', level: 2, text, emphasised: true });
    else {
      // Only now the bold lead before a <br>: most blocks were decided above.
      const lead = boldLead($, el);
      if (lead) {
        blocks.push({ kind: 'heading', level: 2, text: lead.heading, emphasised: true });
        blocks.push({ kind: 'line', text: normalizeInline(inlineOf($, lead.rest)), gapBefore: 1 });
      } else blocks.push({ kind: 'line', text, gapBefore: 1 });
    }
    return;
  }
  // Mixed content: inline runs between block children become their own blocks.
  let run: AnyNode[] = [];
  const flush = (): void => {
    const text = normalizeInline(inlineOf($, run));
    if (text) blocks.push({ kind: tag === 'li' ? 'list-item' : 'line', text, gapBefore: 1 });
    run = [];
  };
  for (const child of el.children) {
    if (child.type === 'tag' && BLOCK_TAGS.has((child as Element).tagName)) {
      flush();
      walk($, child as Element, blocks, roots);
    } else if (child.type === 'tag' || child.type === 'text') {
      run.push(child);
    }
  }
  flush();
}


/**
 * Tables of contents and "Back to top" links are navigation within the page, not policy text: a
 * redesign that adds them must not read as new clauses. A block counts when all its text is link
 * text and every link points into the page (a bare #fragment, or a fragment whose text names one
 * of the page's headings); a TOC's short label just before it goes with it.
 */
function removeInPageNavigation($: cheerio.CheerioAPI): void {
  const headings = new Set($(HEADING_SELECTOR).map((_, el) => foldText($(el).text())).get());
  const inPage = (link: Element): boolean => {
    const href = (link.attribs.href ?? '').trim();
    return href.startsWith('#') || (href.includes('#') && headings.has(foldText($(link).text())));
  };
  const onlyInPageLinks = (el: Element): boolean => {
    const links = $(el).find('a[href]').toArray().filter((node): node is Element => node.type === 'tag');
    if (links.length === 0 || !links.every(inPage)) return false;
    const linkText = foldText(links.map((link) => $(link).text()).join(' '));
    return linkText !== '' && foldText($(el).text()).replace(/\s+/g, '') === linkText.replace(/\s+/g, '');
  };
  // Only a block holding an in-page link can be navigation. Marked once from each such link up,
  // rather than searching every block's subtree for links: that was quadratic in the nesting
  // depth, and broken markup nests hundreds deep.
  const holders = new Set<AnyNode>();
  for (const link of $('a[href]').toArray()) {
    if (link.type !== 'tag' || !inPage(link)) continue;
    for (let node = link.parent; node !== null && !holders.has(node); node = node.parent) holders.add(node);
  }
  $('ul, ol, p, div, li').each((_, el) => {
    // A heading that links to itself (`<div><h2 id="x"><a href="#x">`) is still a heading.
    if (el.type !== 'tag' || !el.parent || !holders.has(el) || $(el).find(HEADING_SELECTOR).length > 0 || !onlyInPageLinks(el)) return;
    const label = $(el).prev();
    if (label.length > 0 && TOC_LABEL_RE.test(normalizeInline(label.text()))) label.remove();
    $(el).remove();
  });
}

/**
 * Parses an HTML page into blocks. `select` (a CSS selector) limits it to the policy's part of the
 * page; an unmatched selector is an error naming it, never an empty policy.
 */
export function parseHtml(input: string, select?: string): { title: string | undefined; blocks: Block[] } {
  const $ = loadHtml(input);
  const pageTitle = normalizeInline($('title').first().text()) || undefined;
  const roots = policyRoots($, select);
  removeInPageNavigation($);
  const blocks: Block[] = [];
  const rootSet = new Set<AnyNode>(roots);
  for (const root of roots) walk($, root, blocks, rootSet);
  // Pages that mark up their structure are trusted; only flat pages get the short-line heuristic.
  const hasHeadings = blocks.some((b) => b.kind === 'heading' && (b.level ?? 1) > 1);
  if (hasHeadings) for (const b of blocks) if (b.kind === 'line') b.kind = 'paragraph';
  // What the markup gives no name to: action bars ("Share this page: Facebook X Email", "6 min
  // read") and a table of contents written as a plain list of the headings that follow.
  return { title: pageTitle, blocks: dropPageChrome(blocks) };
}
