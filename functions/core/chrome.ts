/**
 * Page chrome in text and Markdown: lines a site wraps around a policy that say nothing about it,
 * so a redesign adding or removing them must not read as a policy change. "Back to top" links, print
 * and share bars, and tables of contents (a list of the document's own headings, which say again
 * what the headings say).
 */
import type { Block } from './types.ts';
import { COPYRIGHT_MARK, foldText, stripListMarker, stripNumbering } from './text.ts';

// Whole-line matches only: "Back to top of the list, …" or "Share your playlists …" are prose.
const BACK_TO_TOP_RE = /^[↑⇧▲^]?\s*(?:(?:back|return|go|scroll|jump)\s+to\s+(?:the\s+)?top(?:\s+of\s+(?:the\s+)?page)?|top)\s*[↑⇧▲^]?$/i;
const PRINT_RE = /^(?:print|print\s+this\s+(?:page|policy|notice|statement)|printer[- ]friendly\s+version)$/i;
const SOCIAL = '(?:facebook|twitter|x|linkedin|email|e-mail|whatsapp|reddit|pinterest|copy\\s+link)';
const SHARE_RE = new RegExp(`^share(?:\\s+this\\s+(?:page|policy|notice|article))?\\s*:?(?:[\\s,|·•/]*${SOCIAL})*\\s*$`, 'i');
// What a table of contents is labelled ("Contents", "On this page", "Jump to"), in every format.
const TOC_LABEL = String.raw`(?:table\s+of\s+contents|contents|on\s+this\s+page|in\s+this\s+(?:policy|notice|statement|article|page|section)|jump\s+to(?:\s+section)?|quick\s+links|sections?)`;
/** A block that is only a table of contents' label. */
export const TOC_LABEL_RE = new RegExp(String.raw`^${TOC_LABEL}\s*:?$`, 'i');

// A bar of page actions: "Print | Download PDF | Share", "Email · Print".
const ACTION = String.raw`(?:print(?:\s+this\s+page)?|download(?:\s+(?:as\s+)?pdf)?|pdf|share|email|e-mail|save|copy\s+link|bookmark|listen|translate)`;
const TOOLBAR_RE = new RegExp(String.raw`^${ACTION}(?:\s*[|·•/]\s*${ACTION})+$`, 'i');
// "Home > Legal > Privacy", "You are here: Home / Legal".
// (Segments exclude every separator, so a line splits one way only: no backtracking on hostile input.)
const BREADCRUMB_RE = /^(?:you\s+are\s+here:\s*)?home\s*[>›»/|][^>›»/|]{1,40}(?:[>›»/|][^>›»/|]{1,40})*$/i;
const DOWNLOAD_RE = /^download(?:\s+this\s+(?:policy|page|notice))?(?:\s+as)?\s+(?:a\s+)?pdf(?:\s*\([\d.,]+\s*[kmg]?b\))?$/i;
const READING_TIME_RE = /^(?:\d+\s*min(?:ute)?s?\s+read|reading\s+time:?\s*\d+\s*min(?:ute)?s?)$/i;
// A consent banner flattened into a line: its text, then two or more of its buttons.
const CONSENT_CONTROL = String.raw`\[?(?:accept(?:\s+all)?(?:\s+cookies)?|reject(?:\s+all)?(?:\s+cookies)?|decline|deny|allow(?:\s+all)?(?:\s+cookies)?|i\s+agree|agree|got\s+it|ok(?:ay)?|manage\s+(?:cookies|preferences|settings|choices)|cookie\s+(?:settings|preferences)|customi[sz]e|(?:only\s+)?necessary(?:\s+cookies)?)\]?\b`;
// Two or more buttons end the line, joined by a bar or a dot, or only by spaces where text
// extraction ran them together ("Accept all Reject all Cookie settings"). Each button reads one
// way only ("only necessary", never also "necessary only"), so a line matches or fails in linear time.
const CONSENT_LINE_RE = new RegExp(String.raw`(?:^|[.!?:]\s*|\s)${CONSENT_CONTROL}(?:(?:\s*[|·•/]\s*|\s+)${CONSENT_CONTROL})+\s*$`, 'i');
// Footer lines: a copyright notice, or short link labels joined by middle dots ("Privacy · Terms · Status").
const COPYRIGHT_LINE_RE = new RegExp(String.raw`^${COPYRIGHT_MARK}`, 'i');
const LINK_ROW_RE = /^[^.·•|:;]{1,30}(?:\s[·•]\s[^.·•|:;]{1,30})+$/;
// A table of contents on one line: "On this page: Summary · What we collect · Your rights".
const INLINE_TOC_RE = new RegExp(String.raw`^${TOC_LABEL}\s*:\s*(.+)$`, 'i');

const TOC_LEAD_IN_RE = /\b(?:contents|sections|topics)\b[^:]*:$/i;
const CHROME_MAX_LENGTH = 80;
const CONSENT_LINE_MAX_LENGTH = 400;
// How a banner line must end, tested first on its last characters: a `$`-anchored pattern is
// still tried at every offset, and the full one on every line was 8 % of parsing.
const ENDS_LIKE_CONTROL_RE = /(?:all|cookies|decline|deny|agree|it|ok|okay|preferences|settings|choices|customi[sz]e|necessary|only)\]?\s*$/i;

const CHROME_LINE_RES = [BACK_TO_TOP_RE, PRINT_RE, SHARE_RE, TOOLBAR_RE, BREADCRUMB_RE, DOWNLOAD_RE, READING_TIME_RE, LINK_ROW_RE];

function isChromeLine(text: string): boolean {
  if (text.length <= CONSENT_LINE_MAX_LENGTH && ENDS_LIKE_CONTROL_RE.test(text.slice(-16)) && CONSENT_LINE_RE.test(text) && /cookie|consent|privacy|personal/i.test(text)) return true;
  if (text.length <= 2 * CHROME_MAX_LENGTH && COPYRIGHT_LINE_RE.test(text)) return true;
  return (
    text.length <= CHROME_MAX_LENGTH &&
    CHROME_LINE_RES.some((re) => re.test(text))
  );
}

/** The key a table-of-contents entry shares with the heading it points to. */
function entryKey(text: string): string {
  return foldText(stripNumbering(stripListMarker(text)));
}

/** Whether a block can be a heading later in the document (explicit, or a short plain-text line). */
const HEADING_MAX_LENGTH = 100;

function isHeadingLike(block: Block): boolean {
  return block.kind === 'heading' || (block.kind === 'line' && block.text.length <= HEADING_MAX_LENGTH);
}

/**
 * Tables of contents: two or more consecutive entries under a "Contents" header, or three or more
 * without one, each naming a heading that comes later. Returns the indexes to drop.
 */
function tocIndexes(blocks: Block[]): Set<number> {
  // Each block's key once: folding is most of this pass's cost on a long policy.
  const keys: Array<string | undefined> = new Array(blocks.length);
  const keyOf = (i: number): string => (keys[i] ??= entryKey(blocks[i]?.text ?? ''));
  const lastHeadingAt = new Map<string, number>();
  blocks.forEach((b, i) => {
    if (isHeadingLike(b)) lastHeadingAt.set(keyOf(i), i);
  });
  const pointsAhead = (i: number): boolean => {
    const b = blocks[i]!;
    // An entry names a heading, so it is as short as one: long lines need no key.
    if ((b.kind !== 'list-item' && b.kind !== 'line') || b.text.length > HEADING_MAX_LENGTH) return false;
    const at = lastHeadingAt.get(keyOf(i));
    return at !== undefined && at > i;
  };
  const drop = new Set<number>();
  blocks.forEach((b, i) => {
    const entries = INLINE_TOC_RE.exec(b.text)?.[1]?.split(/\s*[·•|,;]\s*/) ?? [];
    const ahead = entries.filter((entry) => (lastHeadingAt.get(entryKey(entry)) ?? -1) > i).length;
    if (entries.length >= 2 && ahead * 2 >= entries.length) drop.add(i);
  });
  for (let i = 0; i < blocks.length; ) {
    const header = blocks[i]!.text.length <= CHROME_MAX_LENGTH && TOC_LABEL_RE.test(blocks[i]!.text);
    const start = header ? i + 1 : i;
    let end = start;
    // An entry equal to the very next block is that heading itself, not an entry pointing to it.
    while (end < blocks.length && pointsAhead(end) && keyOf(end) !== keyOf(end + 1)) end++;
    if (end - start >= (header ? 2 : 3)) {
      // A sentence that only announces the contents ("This Policy includes the following contents:")
      // goes with them: it says nothing once they are gone.
      const leadIn = blocks[i - 1];
      if (!header && leadIn && leadIn.text.length <= 120 && TOC_LEAD_IN_RE.test(leadIn.text)) drop.add(i - 1);
      for (let j = i; j < end; j++) drop.add(j);
      i = end;
    } else i++;
  }
  return drop;
}

/** The blocks without page chrome. */
export function dropPageChrome(blocks: Block[]): Block[] {
  const toc = tocIndexes(blocks);
  return blocks.filter((b, i) => !toc.has(i) && !isChromeLine(b.text));
}
