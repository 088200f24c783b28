/**
 * Markdown → blocks with marked's lexer. Link targets are dropped (a link-URL-only edit is not a
 * change), a leading archive-preamble blockquote is dropped (it is not part of the policy), and
 * a paragraph that is bold as a whole becomes a heading.
 */
import { decodeHTMLStrict } from 'entities';
import { Lexer, type Token, type Tokens } from 'marked';
import type { Block } from './types.ts';
import { dropPageChrome } from './chrome.ts';
import { hasListMarker, normalizeInline, stripListMarker } from './text.ts';

// Archive services (Wayback Machine, archive.today, our own snapshot exports) prepend a quote like
// "The following text is extracted and transformed from … archived on …".
const PREAMBLE_RE = /\b(archived?|wayback machine|extracted and transformed|original snapshot)\b/i;

function inlineText(tokens: Token[] | undefined, fallback: string): string {
  if (!tokens) return decodeEntities(fallback);
  let out = '';
  for (const token of tokens) {
    switch (token.type) {
      case 'br':
        out += ' ';
        break;
      case 'image':
        break;
      case 'html':
        out += token.raw.replace(/<[^>]*>/g, '');
        break;
      case 'escape':
      case 'codespan':
        out += decodeEntities(token.text);
        break;
      default:
        out += 'tokens' in token && Array.isArray(token.tokens) ? inlineText(token.tokens, '') : decodeEntities('text' in token ? String(token.text) : token.raw);
    }
  }
  return out;
}

// Markdown passes HTML entities through to the page; the reader sees the characters. CommonMark
// requires the closing ";", hence strict decoding ("R&D", "&para" in prose stay as written).
function decodeEntities(text: string): string {
  return text.includes('&') ? decodeHTMLStrict(text) : text;
}

/**
 * "a) …" / "(b) …" lines are not Markdown list syntax, so they arrive as one paragraph; two or more
 * lines starting with a marker, the first among them, are the items of a list (lines between them
 * continue the item above). Returns the items without their markers, or undefined.
 */
function letteredItems(source: string): string[] | undefined {
  const lines = source.split('\n').map((l) => l.trim());
  if (!hasListMarker(lines[0]!) || lines.filter((l) => hasListMarker(l)).length < 2) return undefined;
  const items: string[] = [];
  for (const line of lines) {
    if (hasListMarker(line)) items.push(stripListMarker(line));
    else items[items.length - 1] += `\n${line}`;
  }
  return items;
}

function isWhollyBold(paragraph: Tokens.Paragraph): boolean {
  const meaningful = paragraph.tokens.filter((t) => !(t.type === 'text' && !t.raw.trim()));
  return meaningful.length === 1 && meaningful[0]!.type === 'strong';
}

// marked's Token union includes a catch-all Generic token, so each case narrows explicitly.
function pushBlocks(tokens: Token[], blocks: Block[], depth: number): void {
  for (const token of tokens) {
    switch (token.type) {
      case 'heading': {
        const heading = token as Tokens.Heading;
        blocks.push({ kind: 'heading', level: heading.depth, text: normalizeInline(inlineText(heading.tokens, heading.text)) });
        break;
      }
      case 'paragraph': {
        const paragraph = token as Tokens.Paragraph;
        const text = normalizeInline(inlineText(paragraph.tokens, paragraph.text));
        if (!text) break;
        const items = letteredItems(paragraph.text);
        if (items) for (const item of items) blocks.push({ kind: 'list-item', text: normalizeInline(inlineText(Lexer.lexInline(item), item)) });
        else if (isWhollyBold(paragraph)) blocks.push({ kind: 'heading', level: 2, text, emphasised: true });
        else if (!paragraph.text.includes('\n')) blocks.push({ kind: 'line', text, gapBefore: 1 });
        else blocks.push({ kind: 'paragraph', text });
        break;
      }
      case 'list':
        for (const item of (token as Tokens.List).items) {
          const inline = item.tokens.flatMap((t: Token) => ('tokens' in t && t.tokens ? t.tokens : [t]));
          const text = normalizeInline(inlineText(inline, item.text));
          if (text) blocks.push({ kind: 'list-item', text });
        }
        break;
      case 'blockquote': {
        const quote = token as Tokens.Blockquote;
        if (blocks.length === 0 && depth === 0 && PREAMBLE_RE.test(quote.text)) break;
        pushBlocks(quote.tokens, blocks, depth + 1);
        break;
      }
      case 'table': {
        const table = token as Tokens.Table;
        for (const row of [table.header, ...table.rows]) {
          const text = normalizeInline(row.map((cell: Tokens.TableCell) => inlineText(cell.tokens, cell.text)).join(' | '));
          if (text) blocks.push({ kind: 'paragraph', text });
        }
        break;
      }
      case 'code': {
        const code = token as Tokens.Code;
        if (code.text.trim()) blocks.push({ kind: 'paragraph', text: normalizeInline(code.text) });
        break;
      }
      case 'html': {
        const text = normalizeInline(decodeEntities(token.raw.replace(/<[^>]*>/g, ' ')));
        if (text) blocks.push({ kind: 'paragraph', text });
        break;
      }
      default:
        break; // space, hr, def: no content
    }
  }
}

/** Parses Markdown into blocks; the archive preamble and link URLs are dropped. */
export function parseMarkdown(input: string): Block[] {
  const blocks: Block[] = [];
  pushBlocks(new Lexer({ gfm: true }).lex(input.replace(/\r\n?/g, '\n')), blocks, 0);
  return dropPageChrome(blocks);
}
