/**
 * Blocks → sections: each heading opens a section that runs to the next heading of the same or a
 * higher level. Ids come from the heading trail (numbering stripped), so they survive renumbering;
 * the aligner carries ids across rewordings and moves.
 */
import type { PolicyDocument, Section } from './types.ts';
import { resolveBlocks } from './headings.ts';
import { hashFoldedText, slugify } from './text.ts';

export const INTRODUCTION_HEADING = 'Introduction';

/** Hash of a section's body: case, punctuation and spacing do not count. */
export function hashSectionText(text: string): string {
  return hashFoldedText(text);
}

interface OpenSection {
  untitled?: boolean;
  path: string[];
  heading: string;
  level: number;
  lines: string[];
}

/** Splits a parsed document into sections with stable ids. */
export function splitSections(document: PolicyDocument): Section[] {
  const resolved = resolveBlocks(document.blocks);
  const open: OpenSection[] = [];
  const trail: Array<{ level: number; text: string }> = [];
  let current: OpenSection = { path: [INTRODUCTION_HEADING], heading: INTRODUCTION_HEADING, level: 1, lines: [] };

  for (const block of resolved) {
    if (block.kind === 'heading') {
      if (current.lines.length > 0 || current.heading !== INTRODUCTION_HEADING) open.push(current);
      while (trail.length > 0 && trail.at(-1)!.level >= block.level) trail.pop();
      trail.push({ level: block.level, text: block.text });
      current = { path: trail.map((t) => t.text), heading: block.text, level: block.level, lines: [], ...(block.untitled ? { untitled: true } : {}) };
    } else {
      current.lines.push(block.kind === 'list-item' ? `- ${block.text}` : block.text);
    }
  }
  if (current.lines.length > 0 || current.heading !== INTRODUCTION_HEADING) open.push(current);

  const seen = new Map<string, number>();
  return open.map((s): Section => {
    const baseId = s.path.map(slugify).join('/');
    const count = (seen.get(baseId) ?? 0) + 1;
    seen.set(baseId, count);
    const text = s.lines.join('\n');
    return {
      id: count === 1 ? baseId : `${baseId}~${count}`,
      path: s.path,
      heading: s.heading,
      level: s.level,
      text,
      hash: hashSectionText(text),
      ...(s.untitled ? { untitled: true } : {}),
    };
  });
}
