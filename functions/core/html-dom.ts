/**
 * HTML → a cheerio document, parsed by htmlparser2 (which `cheerio/slim` bundles anyway) and
 * queried with `cheerio/slim`: cheerio's main entry also loads parse5, undici, encoding-sniffer and
 * iconv-lite, several hundred KB of a Lambda bundle.
 *
 * htmlparser2 is not the HTML standard's tree builder. Where the two build different trees out of
 * markup real pages contain, the few standard rules below are applied on top, so that the text and
 * its blocks come out as a browser shows them:
 * - a start tag closes an open <p>, <li>, <dd>/<dt>, table cell or row even when inline elements
 *   are still open inside it (`<li><p>a<li>b`, `<p><em>a<p>b`, as minifiers and editors write);
 * - a heading start tag closes an open heading, and any heading end tag closes the open heading
 *   (`<h3>…</h2>`): otherwise the heading swallows the rest of its section;
 * - an end tag with no such element in scope is ignored rather than closing across a table cell;
 * - `</body>` and `</html>` end nothing, so content after them stays in the body;
 * - the head ends at the first element or text that cannot be in it, and a page without a <body>
 *   tag gets one there;
 * - nesting stops at MAX_DOM_DEPTH, as in browsers: deeper elements become siblings.
 * Left as htmlparser2 builds them, because no text moves: tables get no implied <tbody>, stray text
 * in a <table> stays in place, and an unclosed <b>/<em> is not reopened in the blocks after it
 * (which would make them all read as bold headings). <noscript> content is parsed as markup and
 * stays inside the <noscript>, in the head too; callers decide whether it counts as text.
 */
import { load, type CheerioAPI } from 'cheerio/slim';
import { DomHandler, isTag, isText, type AnyNode } from 'domhandler';
import { Parser } from 'htmlparser2';

const HEADINGS = new Set(['h1', 'h2', 'h3', 'h4', 'h5', 'h6']);
const PARAGRAPH = new Set(['p']);
// Elements a <head> may hold; any other start tag or text starts the body.
const HEAD_CONTENT = new Set(['base', 'basefont', 'bgsound', 'link', 'meta', 'noscript', 'noframes', 'script', 'style', 'template', 'title']);
// Start tags that close an open <p> (the standard's list).
const CLOSES_P = new Set([
  'address', 'article', 'aside', 'blockquote', 'center', 'details', 'dialog', 'dir', 'div', 'dl', 'fieldset', 'figcaption',
  'figure', 'footer', 'form', 'header', 'hgroup', 'hr', 'li', 'dd', 'dt', 'listing', 'main', 'menu', 'nav', 'ol', 'p',
  'plaintext', 'pre', 'search', 'section', 'summary', 'table', 'ul', 'xmp', ...HEADINGS,
]);
// Elements that bound the search for an element to close ("scope" in the standard).
const DEFAULT_SCOPE = new Set(['applet', 'caption', 'html', 'table', 'td', 'th', 'marquee', 'object', 'template', 'svg', 'math']);
const BUTTON_SCOPE = new Set([...DEFAULT_SCOPE, 'button']);
const LIST_ITEM_SCOPE = new Set([...DEFAULT_SCOPE, 'ol', 'ul']);
const TABLE_SCOPE = new Set(['html', 'table', 'template']);
const TABLE_PARTS = new Set(['tbody', 'thead', 'tfoot', 'tr', 'td', 'th', 'caption']);
// A new <li> (or <dd>/<dt>) closes the open one only across these: inline elements and p/div/address,
// not across a nested list or another block container.
const LIST_ITEM_BARRIERS = new Set([
  'applet', 'article', 'aside', 'blockquote', 'body', 'button', 'caption', 'center', 'colgroup', 'dd', 'details', 'dir', 'dl',
  'dt', 'fieldset', 'figcaption', 'figure', 'footer', 'form', 'frameset', 'head', 'header', 'hgroup', 'html', 'iframe', 'li',
  'listing', 'main', 'marquee', 'menu', 'nav', 'noembed', 'noframes', 'noscript', 'object', 'ol', 'plaintext', 'pre', 'search',
  'section', 'select', 'summary', 'table', 'tbody', 'td', 'template', 'textarea', 'tfoot', 'th', 'thead', 'tr', 'ul', 'xmp',
  ...HEADINGS,
]);
const ITEM_SIBLINGS: Record<string, ReadonlySet<string>> = {
  li: new Set(['li']), dd: new Set(['dd', 'dt']), dt: new Set(['dd', 'dt']),
  td: new Set(['td', 'th']), th: new Set(['td', 'th']), tr: new Set(['tr']),
  tbody: new Set(['tbody', 'thead', 'tfoot']), thead: new Set(['tbody', 'thead', 'tfoot']), tfoot: new Set(['tbody', 'thead', 'tfoot']),
};

/** An element the parser has open; `closed` once the builder has ended it early in the DOM. */
interface OpenElement {
  name: string;
  closed: boolean;
}

/**
 * Browsers stop nesting here (Blink's parser: 512): a deeper element becomes the sibling of the
 * innermost one. Broken markup nests without end (an unclosed <span> or <font> in every item of a
 * long list), and an unbounded depth overflowed the stack of every later tree walk.
 */
export const MAX_DOM_DEPTH = 512;

/**
 * Builds the DOM like domhandler, plus the rules listed in the module comment. The parser still
 * closes every element it opened, so the builder mirrors its stack and ignores the closes of
 * elements it has already ended. Searches run over the elements still open in the DOM (at most
 * MAX_DOM_DEPTH), never the parser's whole stack, so deep markup costs linear time.
 */
class HtmlTreeBuilder extends DomHandler {
  /** The parser's stack of open elements, ended early or not. */
  readonly #open: OpenElement[] = [];
  /** The elements still open in the DOM, outermost first: a subsequence of `#open`. */
  readonly #live: OpenElement[] = [];
  /** How many elements of each name `#open` holds. */
  readonly #names = new Map<string, number>();
  /** Whether the page has a <body> tag; see `ensureBody`. */
  hasBody = false;

  override onopentag(name: string, attribs: Record<string, string>): void {
    if (this.#current()?.name === 'head' && !HEAD_CONTENT.has(name)) this.#closeFrom(this.#live.length - 1);
    const siblings = ITEM_SIBLINGS[name];
    if (siblings !== undefined) {
      const isCell = TABLE_PARTS.has(name);
      this.#closeFrom(this.#find(siblings, (open) => (isCell ? TABLE_SCOPE.has(open) : LIST_ITEM_BARRIERS.has(open))));
    }
    if (CLOSES_P.has(name)) this.#closeFrom(this.#find(PARAGRAPH, (open) => BUTTON_SCOPE.has(open)));
    const current = this.#current();
    if (HEADINGS.has(name) && current !== undefined && HEADINGS.has(current.name)) this.#closeFrom(this.#live.length - 1);
    if (this.#live.length >= MAX_DOM_DEPTH) this.#closeFrom(this.#live.length - 1);
    if (name === 'body') this.hasBody = true;
    super.onopentag(name, attribs);
    const element = { name, closed: false };
    this.#open.push(element);
    this.#live.push(element);
    this.#names.set(name, (this.#names.get(name) ?? 0) + 1);
  }

  override onclosetag(): void {
    const element = this.#open.pop();
    if (element === undefined) return;
    this.#names.set(element.name, this.#names.get(element.name)! - 1);
    // Not ended early: then it is the innermost element still open in the DOM.
    if (!element.closed) this.#closeFrom(this.#live.length - 1);
  }

  override ontext(data: string): void {
    if (this.#current()?.name === 'head' && /\S/.test(data)) this.#closeFrom(this.#live.length - 1);
    super.ontext(data);
  }

  /** Called before the parser handles an end tag; false when the standard ignores it here. */
  acceptsEndTag(name: string): boolean {
    if (name === 'body' || name === 'html') return false;
    if (HEADINGS.has(name)) {
      // Any heading end tag ends the innermost open heading; the parser would ignore `</h2>` in an <h3>.
      const heading = this.#find(HEADINGS, (open) => DEFAULT_SCOPE.has(open));
      if (heading >= 0 && this.#live[heading]!.name === name) return true;
      this.#closeFrom(heading);
      return false;
    }
    const scope = TABLE_PARTS.has(name) || name === 'table' ? TABLE_SCOPE : name === 'li' ? LIST_ITEM_SCOPE : name === 'p' ? BUTTON_SCOPE : DEFAULT_SCOPE;
    for (let index = this.#live.length - 1; index >= 0; index--) {
      const open = this.#live[index]!;
      if (open.name === name) return true;
      if (scope.has(open.name)) return false;
    }
    // Ended here already: ignored. Never opened: the parser ignores it too, except that `</p>`
    // adds an empty paragraph and `</br>` a line break, as browsers do.
    return (this.#names.get(name) ?? 0) === 0;
  }

  #current(): OpenElement | undefined {
    return this.#live.at(-1);
  }

  /** Index (in `#live`) of the innermost open element named in `targets`, unless a `barrier` comes first; -1 if none. */
  #find(targets: ReadonlySet<string>, barrier: (name: string) => boolean): number {
    for (let index = this.#live.length - 1; index >= 0; index--) {
      const open = this.#live[index]!;
      if (targets.has(open.name)) return index;
      if (barrier(open.name)) return -1;
    }
    return -1;
  }

  /** Ends, in the DOM, the element at `index` of `#live` and every element opened after it. */
  #closeFrom(index: number): void {
    if (index < 0) return;
    while (this.#live.length > index) {
      super.onclosetag();
      this.#live.pop()!.closed = true;
    }
  }
}

/**
 * What htmlparser2's Parser asks of its two stacks (open element names, and foreign-content
 * flags), which it keeps innermost first in arrays and grows with unshift(). unshift() copies
 * the whole array, so a page nested without end parsed in quadratic time: 200,000 levels (2 MB)
 * took 25 s, and a larger page would outlast the check's Lambda timeout. This keeps the items
 * innermost last, so that every operation the parser uses costs constant time, or time in
 * proportion to the elements it then closes (`indexOf`, with a count per value for the misses).
 */
class FrontStack<T> {
  readonly #items: T[] = [];
  readonly #counts = new Map<T, number>();

  get length(): number {
    return this.#items.length;
  }

  /** The parser only ever empties a stack this way. */
  set length(length: number) {
    if (length !== 0) throw new RangeError('FrontStack can only be emptied');
    this.#items.length = 0;
    this.#counts.clear();
  }

  unshift(item: T): number {
    this.#counts.set(item, (this.#counts.get(item) ?? 0) + 1);
    return this.#items.push(item);
  }

  shift(): T | undefined {
    if (this.#items.length === 0) return undefined;
    const item = this.#items.pop()!;
    this.#counts.set(item, this.#counts.get(item)! - 1);
    return item;
  }

  indexOf(item: T): number {
    if (!this.#counts.get(item)) return -1;
    return this.#items.length - 1 - this.#items.lastIndexOf(item);
  }

  /** `stack[i]`, innermost first, as the parser indexes its array. */
  at(index: number): T | undefined {
    return this.#items[this.#items.length - 1 - index];
  }

  /** The stack behind a proxy that answers `stack[0]`, `stack[i]` as the parser reads them. */
  static inPlaceOf<T>(items: readonly T[]): T[] {
    const stack = new FrontStack<T>();
    for (let index = items.length - 1; index >= 0; index--) stack.unshift(items[index]!);
    return new Proxy(stack, {
      get(target, key) {
        if (typeof key === 'string' && /^(?:0|[1-9]\d*)$/.test(key)) return target.at(Number(key));
        const value = Reflect.get(target, key, target) as unknown;
        return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
      },
      set(target, key, value) {
        return Reflect.set(target, key, value, target);
      },
    }) as unknown as T[];
  }
}

/**
 * Open elements past which the parser's stacks become FrontStacks. Below it, copying an array this
 * short costs less than the proxy, which made ordinary pages parse 17 % slower.
 */
const DEEP_STACK = 256;

/** htmlparser2's Parser fields FrontStack stands in for (private in its typings; the version is pinned). */
interface ParserStacks {
  stack: string[];
  foreignContext: boolean[];
}

/** htmlparser2's parser, with end tags shown to the builder first (see `acceptsEndTag`). */
class HtmlParser extends Parser {
  readonly #html: string;
  readonly #builder: HtmlTreeBuilder;
  #frontStacks = false;

  constructor(html: string, builder: HtmlTreeBuilder) {
    super(builder, { decodeEntities: true });
    this.#html = html;
    this.#builder = builder;
  }

  /** @internal The tokenizer's end of a start tag: past DEEP_STACK open elements, the stacks become FrontStacks. */
  override onopentagend(endIndex: number): void {
    super.onopentagend(endIndex);
    const stacks = this as unknown as ParserStacks;
    if (this.#frontStacks || stacks.stack.length <= DEEP_STACK) return;
    this.#frontStacks = true;
    stacks.stack = FrontStack.inPlaceOf(stacks.stack);
    stacks.foreignContext = FrontStack.inPlaceOf(stacks.foreignContext);
  }

  /** @internal The tokenizer's end-tag event; offsets index the whole input, parsed in one chunk. */
  override onclosetag(start: number, endIndex: number): void {
    if (this.#builder.acceptsEndTag(this.#html.slice(start, endIndex).toLowerCase())) super.onclosetag(start, endIndex);
  }
}

/**
 * Browsers give every page a <body>, and callers look for it; a page that omits the optional tag
 * (HTML minifiers drop it) gets one from the first element or text that cannot be in <head>.
 */
function ensureBody($: CheerioAPI): void {
  const html = $('html').first();
  const contents = html.length > 0 ? html.contents() : $.root().contents();
  const first = contents.toArray().findIndex((node) => !belongsBeforeBody(node));
  if (first >= 0) contents.slice(first).wrapAll('<body></body>');
}

function belongsBeforeBody(node: AnyNode): boolean {
  if (isText(node)) return !/\S/.test(node.data);
  if (isTag(node)) return node.name === 'head' || HEAD_CONTENT.has(node.name);
  return true; // comments and the doctype
}

/** Parses a page into a cheerio document; see the module comment for how it is built. */
export function loadHtml(html: string): CheerioAPI {
  const builder = new HtmlTreeBuilder();
  new HtmlParser(html, builder).end(html);
  const $ = load(builder.root);
  if (!builder.hasBody) ensureBody($);
  return $;
}
