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

describe('page chrome in Markdown', () => {
  const base = `# CodeHub Privacy Statement

Thanks for entrusting CodeHub with your code.

## The short version

We collect your account information and use it to run CodeHub.

## How we share information

We share information with service providers that process it for us.
`;
  const md = (input: string) => diffPolicyTexts(base, input, { before: { format: 'markdown' }, after: { format: 'markdown' } });

  it.each([
    ['"[Back to top](#top)" links', base.replace(/\n## How/, '\n[Back to top](#top)\n\n## How')],
    ['a **Contents** list of links', base.replace('\n## The short version', '\n**Contents**\n\n- [The short version](#the-short-version)\n- [How we share information](#how-we-share-information)\n\n## The short version')],
    ['an "On this page:" numbered list', base.replace('\n## The short version', '\nOn this page:\n\n1. The short version\n2. How we share information\n\n## The short version')],
  ])('ignores %s', (_name, after) => {
    expect(md(after).changes).toEqual([]);
  });
});

describe('lettered lines in Markdown', () => {
  it('reads "a)" lines (not Markdown list syntax) as list items without their marker', () => {
    const ordered = 'We collect:\n\n1. **Account information.** Your name and [work email](mailto:x@y.z).\n2. **Customer Data.** Messages and files.\n';
    const lettered = 'We collect:\n\na) **Account information.** Your name and [work email](mailto:x@y.z).\nb) **Customer Data.** Messages and\nfiles.\n';
    expect(parseMarkdown(lettered)).toEqual(parseMarkdown(ordered));
  });
});
