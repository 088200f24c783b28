/**
 * HTML → a cheerio document. Parsed by parse5 (the HTML standard's algorithm) into the DOM that
 * `cheerio.load` builds, then queried with `cheerio/slim`: cheerio's main entry also loads undici,
 * encoding-sniffer and iconv-lite for its `fromURL`/`loadBuffer` helpers, about 500 KB of a Lambda
 * bundle that the engine never calls.
 */
import { load, type CheerioAPI } from 'cheerio/slim';
import { parse } from 'parse5';
import { adapter } from 'parse5-htmlparser2-tree-adapter';

/** `cheerio.load(html, { scriptingEnabled })`, same DOM; scripting defaults to on, as in cheerio. */
export function loadHtml(html: string, options: { scriptingEnabled?: boolean } = {}): CheerioAPI {
  return load(parse(html, { treeAdapter: adapter, scriptingEnabled: options.scriptingEnabled ?? true }));
}
