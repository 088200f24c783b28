// Markdown parsing: what a reader sees, whatever the encoding of it.
import { describe, expect, it } from 'vitest';
import { diffPolicyTexts } from '../../functions/core/engine.ts';
import { parseMarkdown } from '../../functions/core/parse-markdown.ts';

const text = (input: string) => parseMarkdown(input).map((b) => b.text);

describe('HTML entities in Markdown', () => {
  it('decodes named and numeric entities as a browser would', () => {
    expect(text('We don&rsquo;t sell it &mdash; ever. &ldquo;Data&rdquo; &amp; more&hellip; &#8220;A&#x201D;&nbsp;&copy; 2024 &eacute;t&eacute;\n')).toEqual([
      'We don\'t sell it - ever. "Data" & more... "A" © 2024 été',
    ]);
  });

  it('leaves text that only looks like an entity alone', () => {
    expect(text('Terms &c and AT&T; R&D&nbsp;team\n')).toEqual(['Terms &c and AT&T; R&D team']);
  });

  it('makes typographic entities a cosmetic change', () => {
    const before = "## The short version\n\nWe don't sell your data: \"never\".\n";
    const after = '## The short version\n\nWe don&rsquo;t sell your data &mdash; &ldquo;never&rdquo;.\n';
    const result = diffPolicyTexts(before, after, { before: { format: 'markdown' }, after: { format: 'markdown' } });
    expect(result.material).toBe(false);
  });
});
