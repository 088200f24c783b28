/**
 * Input (HTML, Markdown or plain text) → PolicyDocument: title, effective date and blocks.
 * Format is taken from the caller, else sniffed from the content.
 */
import * as chrono from 'chrono-node';
import type { Block, InputFormat, PolicyDocument } from './types.ts';
import { parseHtml } from './parse-html.ts';
import { parseMarkdown } from './parse-markdown.ts';
import { parsePlainText } from './parse-text.ts';

export interface ParseOptions {
  format?: InputFormat;
  /** Title to use when the document states none (e.g. the tracked policy's name). */
  title?: string;
  /** CSS selector for HTML pages. */
  select?: string;
}

/** Guesses the format from content: markup tags, Markdown syntax, else plain text. */
export function sniffFormat(input: string, fileName?: string): InputFormat {
  const ext = fileName?.toLowerCase().match(/\.(html?|md|markdown|txt)$/)?.[1];
  if (ext?.startsWith('htm')) return 'html';
  if (ext === 'md' || ext === 'markdown') return 'markdown';
  const head = input.slice(0, 4000);
  if (/<!doctype html|<html[\s>]|<body[\s>]|<(p|div|h[1-6])[\s>]/i.test(head)) return 'html';
  const markdownSignals = [/^#{1,6} \S/m, /^\*\*[^*\n]+\*\*\s*$/m, /\[[^\]\n]+\]\([^)\s]+\)/, /^> /m, /^\s{0,3}[*+-] \S/m];
  if (markdownSignals.filter((re) => re.test(input)).length >= 2) return 'markdown';
  return 'text';
}

// "Last updated: May 25, 2018", "Effective date: 1 Jan 2024", "Last modified: January 10, 2023".
const DATE_LINE_RE = /^(?:last\s+(?:updated|modified|revised|changed|amended|reviewed)|(?:date\s+)?(?:effective|updated|revised|modified)(?:\s+date)?|effective\s+(?:as\s+of|from|on)|version\s+date|date\s+of\s+(?:last\s+)?(?:revision|update))\b[^:]{0,20}:?\s*/i;
// In-prose statements of validity, e.g. "The starting date for the validity of these conditions is 08/21/2023."
const DATE_PROSE_RE = /\b(?:effective|last\s+(?:updated|modified|revised|reviewed)|validity|in\s+force|takes?\s+effect)\b/i;

/** The first full date chrono finds in `text`: ISO (YYYY-MM-DD, from its components, no time zone) and the words it read. */
function findDateMatch(text: string): { iso: string; text: string } | undefined {
  const result = chrono.en.strict.parse(text)[0] ?? chrono.en.GB.parse(text)[0];
  if (!result) return undefined;
  const year = result.start.get('year');
  const month = result.start.get('month');
  const day = result.start.get('day');
  if (!year || !month || !day || !result.start.isCertain('year')) return undefined;
  return { iso: `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`, text: result.text };
}

/** ISO date (YYYY-MM-DD) of the first date chrono finds in `text`. */
export function findDate(text: string): string | undefined {
  return findDateMatch(text)?.iso;
}

// What a date line says besides its date: "Last updated on", "Effective date (version 3) of this policy".
const DATE_LINE_WORDS_RE = /\b(?:last|updated?|modified|revised|reviewed|changed|amended|effective|as|of|from|on|date|version|revision|this|our|the|privacy|cookie|policy|notice|statement|terms|was|is|v?\d+(?:\.\d+)*)\b/gi;

/**
 * The date of a "Last updated: …" line, or undefined when the block says more than that: "Effective
 * June 1, 2025, we also share … with HubSpot" is a clause, and so is a sentence glued to the line.
 */
function dateLineDate(text: string): string | undefined {
  // "This policy is effective as of January 15, 2025." says no more than "Effective: …" does.
  // (A date states its year in digits; chrono is only asked when one is there.)
  if (text.length > 100 || !/\d/.test(text) || !(DATE_LINE_RE.test(text) || DATE_PROSE_RE.test(text))) return undefined;
  const date = findDateMatch(text);
  if (!date) return undefined;
  const rest = text.replace(date.text, ' ').replace(DATE_LINE_WORDS_RE, ' ');
  return (rest.match(/\p{L}{2,}/gu)?.length ?? 0) <= 1 ? date.iso : undefined;
}

/** Removes "Last updated: …" lines (metadata, not policy text) and returns the first date found. */
function extractEffectiveDate(blocks: Block[]): { effectiveDate?: string; blocks: Block[] } {
  let effectiveDate: string | undefined;
  const kept: Block[] = [];
  for (const block of blocks) {
    const date = dateLineDate(block.text);
    if (date) {
      effectiveDate ??= date;
      continue;
    }
    kept.push(block);
  }
  if (!effectiveDate) {
    // Prose statements are kept as text; a date-only edit of them is filtered as cosmetic by the diff.
    for (const block of kept.slice(0, 15)) {
      if (!DATE_PROSE_RE.test(block.text)) continue;
      const sentence = block.text.split(/(?<=[.!?])\s+/).find((s) => DATE_PROSE_RE.test(s)) ?? block.text;
      effectiveDate = findDate(sentence);
      if (effectiveDate) break;
    }
  }
  return { effectiveDate, blocks: kept };
}

/** Takes the document title from a level-1 heading or a short first line; removes it from the body. */
function extractTitle(blocks: Block[], format: InputFormat): { title?: string; blocks: Block[] } {
  const first = blocks[0];
  if (!first) return { blocks };
  const titleIndex = blocks.findIndex((b) => b.kind === 'heading' && b.level === 1);
  if (titleIndex >= 0 && titleIndex <= 2) {
    return { title: blocks[titleIndex]!.text, blocks: blocks.filter((_, i) => i !== titleIndex) };
  }
  if (format === 'text' && first.kind === 'line' && first.text.length <= 80 && !/[.,;:]$/.test(first.text) && /\b(privacy|policy|notice|terms|statement|cookie)\b/i.test(first.text)) {
    return { title: first.text, blocks: blocks.slice(1) };
  }
  return { blocks };
}

/** Parses a policy in any supported format into a PolicyDocument. */
export function parseDocument(input: string, options: ParseOptions = {}): PolicyDocument {
  const format = options.format ?? sniffFormat(input);
  let pageTitle: string | undefined;
  let blocks: Block[];
  if (format === 'html') {
    const html = parseHtml(input, options.select);
    pageTitle = html.title;
    blocks = html.blocks;
  } else if (format === 'markdown') {
    blocks = parseMarkdown(input);
  } else {
    blocks = parsePlainText(input);
  }
  const titled = extractTitle(blocks, format);
  const dated = extractEffectiveDate(titled.blocks);
  return {
    title: titled.title ?? options.title ?? pageTitle ?? 'Untitled policy',
    ...(dated.effectiveDate ? { effectiveDate: dated.effectiveDate } : {}),
    blocks: dated.blocks,
  };
}
