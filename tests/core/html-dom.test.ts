/**
 * Plain htmlparser2 builds another tree than browsers for markup real pages contain (omitted end
 * tags, mismatched headings, stray end tags, no <body>); each case shows, as the body's markup,
 * the tree `loadHtml` builds. It is a browser's tree except where the module comment says.
 */
import { describe, expect, it, vi } from 'vitest';
import { loadHtml, MAX_DOM_DEPTH } from '../../functions/core/html-dom.ts';
import { parseHtml } from '../../functions/core/parse-html.ts';
import { hasChildren, type AnyNode } from 'domhandler';

function body(html: string): string | null {
  return loadHtml(html).root().find('body').html();
}

describe('loadHtml: omitted end tags close elements as in browsers', () => {
  it('closes an open paragraph at a block start tag, also across inline elements', () => {
    expect(body('<body><p>One<p>Two<div>Block</div>')).toBe('<p>One</p><p>Two</p><div>Block</div>');
    expect(body('<body><p><em>Note: this<p>Next')).toBe('<p><em>Note: this</em></p><p>Next</p>');
    expect(body('<body><p><span>Intro<ul><li>Item</ul>')).toBe('<p><span>Intro</span></p><ul><li>Item</li></ul>');
  });

  it('closes an open list item at the next one, across a paragraph inside it, and keeps nested lists nested', () => {
    expect(body('<body><ul><li><p>One<li><p>Two</ul>')).toBe('<ul><li><p>One</p></li><li><p>Two</p></li></ul>');
    expect(body('<body><ul><li>A<ul><li>A1<li>A2</ul><li>B</ul>')).toBe('<ul><li>A<ul><li>A1</li><li>A2</li></ul></li><li>B</li></ul>');
    expect(body('<body><dl><dt><b>Cookies<dd>Small files<dt>Logs<dd>Records</dl>')).toBe('<dl><dt><b>Cookies</b></dt><dd>Small files</dd><dt>Logs</dt><dd>Records</dd></dl>');
  });

  it('closes table cells and rows at the next one, across a paragraph, without leaving a nested table', () => {
    expect(body('<body><table><tr><td><p>Data<td><p>Period<tr><td>Logs<td>30 days</table>'))
      .toBe('<table><tr><td><p>Data</p></td><td><p>Period</p></td></tr><tr><td>Logs</td><td>30 days</td></tr></table>');
    expect(body('<body><table><tr><td><table><tr><td>Inner</table><td>Outer</table>'))
      .toBe('<table><tr><td><table><tr><td>Inner</td></tr></table></td><td>Outer</td></tr></table>');
  });

  it('ends a heading at the next heading and at any heading end tag, so it never swallows its section', () => {
    expect(body('<body><h2>Rights<h3>Access</h3><p>Text')).toBe('<h2>Rights</h2><h3>Access</h3><p>Text</p>');
    expect(body('<body><h5>Footnote</h3><p>Text</p>')).toBe('<h5>Footnote</h5><p>Text</p>');
  });

  it('closes what is still open at the end of a cut-off page', () => {
    expect(body('<body><h2>Retention</h2><p>We keep logs <b>30 days')).toBe('<h2>Retention</h2><p>We keep logs <b>30 days</b></p>');
  });
});

describe('loadHtml: stray end tags and page structure', () => {
  it('ignores an end tag whose element is outside the current table cell', () => {
    expect(body('<body><div><table><tr><td>A</div>B</td><td>C</td></tr></table></div>'))
      .toBe('<div><table><tr><td>AB</td><td>C</td></tr></table></div>');
  });

  it('keeps content after </body> and </html> in the body', () => {
    expect(body('<html><body><p>Rights</p></body></html><p>Added by a plugin</p>')).toBe('<p>Rights</p><p>Added by a plugin</p>');
  });

  it('gives a page without <body> (a minifier dropped the optional tags) a body that starts after the head content', () => {
    const $ = loadHtml('<!doctype html><meta charset=utf-8><title>Acme Privacy</title><link rel=stylesheet href=/s.css><h1>Policy</h1><p>We collect data.');

    expect($('body').html()).toBe('<h1>Policy</h1><p>We collect data.</p>');
    expect($('title').text()).toBe('Acme Privacy');
  });

  it('ends an unclosed <head> at the first element that cannot be in it', () => {
    expect(body('<html><head><title>Acme</title><h1>Policy</h1><p>Text</p></html>')).toBe('<h1>Policy</h1><p>Text</p>');
  });
});

describe('loadHtml: content and text', () => {
  it('parses <noscript> content as markup, in the head as in the body, and keeps it inside the <noscript>', () => {
    const $ = loadHtml('<html><head><noscript><p>Please enable JavaScript.</p></noscript></head><body><noscript><div>Enable <b>JavaScript</b></div></noscript><p>Policy</p></body></html>');

    expect($('noscript').map((_, el) => $(el).text()).get()).toEqual(['Please enable JavaScript.', 'Enable JavaScript']);
    $('noscript').remove();
    expect($.root().text()).toBe('Policy');
  });

  it('keeps <template> content inside the template', () => {
    const $ = loadHtml('<body><template><p>Row template</p></template><p>Visible</p>');

    $('template').remove();
    expect($('body').text()).toBe('Visible');
  });

  it('decodes character references as browsers do, with or without the semicolon', () => {
    const $ = loadHtml('<body><p>Tom &amp; Jerry&nbsp;&copy 2025 &#8217;s &#x201C;q&rdquo; &#150; &lt;tag&gt; &bogus; AT&T</p><a href="/x?a=1&amp;b=2">link</a>');

    expect($('p').text()).toBe('Tom & Jerry\u00A0© 2025 \u2019s \u201Cq\u201D \u2013 <tag> &bogus; AT&T');
    expect($('a').attr('href')).toBe('/x?a=1&b=2');
  });

  it('reads upper-case tags and keeps script and style text out of the elements around them', () => {
    const $ = loadHtml('<HTML><BODY><P>One<SCRIPT>var s = "</p><p>not text";</SCRIPT><STYLE>p{}</STYLE><P>Two</BODY></HTML>');

    $('script, style').remove();
    expect($('body').html()).toBe('<p>One</p><p>Two</p>');
  });
});

describe('loadHtml: nesting stops at the depth browsers stop at', () => {
  /** Depth of the deepest element (the document is 0, <html> 1). */
  const depthOf = (html: string): number => {
    let deepest = 0;
    const pending: Array<[AnyNode, number]> = loadHtml(html).root().toArray().map((node) => [node, 0]);
    while (pending.length > 0) {
      const [node, depth] = pending.pop()!;
      deepest = Math.max(deepest, depth);
      if (hasChildren(node)) for (const child of node.children) if (child.type === 'tag') pending.push([child, depth + 1]);
    }
    return deepest;
  };

  it('makes elements below MAX_DOM_DEPTH siblings of the innermost one, keeping every word in order', () => {
    const html = `<html><body>${'<div>'.repeat(5000)}We keep chat logs for 30 days.${'</div>'.repeat(5000)}<p>After</p></body></html>`;
    expect(depthOf(html)).toBe(MAX_DOM_DEPTH);
    expect(loadHtml(html).root().find('body').text()).toBe('We keep chat logs for 30 days.After');
  });

  it('never copies a deep stack of open elements: a page nested 20,000 deep parses in linear time', () => {
    // htmlparser2 grows its stacks with unshift(), a copy of the whole stack per start tag: 200,000
    // levels (2 MB) took 25 s, and a larger page outlasted the check's Lambda timeout.
    const html = `<html><body>${'<div><span>'.repeat(10_000)}We keep chat logs for 30 days.${'</span></div>'.repeat(10_000)}<p>After</p></body></html>`;
    const unshift = Array.prototype.unshift;
    let deepCopies = 0;
    const spy = vi.spyOn(Array.prototype, 'unshift').mockImplementation(function (this: unknown[], ...items: unknown[]) {
      if (this.length > 1000) deepCopies++;
      return unshift.apply(this, items);
    });
    try {
      const $ = loadHtml(html);
      expect($('body').text()).toBe('We keep chat logs for 30 days.After');
      expect($('body > p').text()).toBe('After');
    } finally {
      spy.mockRestore();
    }
    expect(deepCopies).toBe(0);
  });

  it('closes elements by their end tags, by implied ends and at the end of the page as usual once the stack is deep', () => {
    const deep = (open: string, close: string, inner: string) => `${open.repeat(1000)}${inner}${close.repeat(1000)}`;
    const html = `<html><body>${deep('<div>', '</div>', '<ul><li>a<li>b</ul>')}${deep('<svg>', '</svg>', '<title>t</title>')}<p>After<section>${'<b>'.repeat(600)}unclosed`;
    const $ = loadHtml(html);
    expect($('li').map((_, li) => $(li).text()).get()).toEqual(['a', 'b']);
    expect($('body > p').text()).toBe('After');
    expect($('body > section').text()).toBe('unclosed');
    expect($('body').text()).toBe('abtAfterunclosed');
  });

  it('reads a page whose every item leaves a <div> open (broken templates nest without end) item by item', () => {
    const items = Array.from({ length: 6000 }, (_, i) => `<div class="partner">Partner ${i} receives your email address.`).join('');
    const html = `<html><body><h2>Sharing</h2>${items}<h2>Retention</h2><p>We keep chat logs for 30 days.</p></body></html>`;
    const { blocks } = parseHtml(html);
    expect(blocks.filter((block) => block.kind === 'heading').map((block) => block.text)).toEqual(['Sharing', 'Retention']);
    expect(blocks.filter((block) => block.text.startsWith('Partner '))).toHaveLength(6000);
    expect(blocks.at(-1)?.text).toBe('We keep chat logs for 30 days.');
  });
});
