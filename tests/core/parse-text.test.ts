// Plain-text parsing: what a reader sees must survive re-extraction, re-wrapping and indentation.
import { describe, expect, it } from 'vitest';
import { diffPolicyTexts, readPolicy } from '../../functions/core/engine.ts';
import { parsePlainText } from '../../functions/core/parse-text.ts';
import { stripNumbering } from '../../functions/core/text.ts';

const text = (input: string) => parsePlainText(input).map((b) => b.text);
const sections = (input: string) => readPolicy(input, { format: 'text' }).sections.map((s) => ({ path: s.path.join(' > '), text: s.text }));
const diff = (before: string, after: string) => diffPolicyTexts(before, after, { before: { format: 'text' }, after: { format: 'text' } });

describe('never deletes policy words', () => {
  it('keeps a lone lower-case word that continues the sentence around it (link text at indent 0)', () => {
    const input = 'When you use our Services, we collect personal information \ndirectly\n from you, as well as \nindirectly\n through cookies.\nData from our partners (described \nhere\n).\n';
    expect(text(input)).toEqual(['When you use our Services, we collect personal information directly from you, as well as indirectly through cookies.', 'Data from our partners (described here).']);
  });

  it('keeps the last word of a wrapped line', () => {
    expect(text('Details of the purchased plan; payment method; order date; Email\naddress\n\nNext paragraph.\n')).toEqual([
      'Details of the purchased plan; payment method; order date; Email address',
      'Next paragraph.',
    ]);
    expect(text('Your name and postal address, used to deliver your\norders\nHow we share data\n')).toEqual(['Your name and postal address, used to deliver your orders', 'How we share data']);
  });

  it('still drops an anchor word standing between a sentence end and a heading', () => {
    expect(text('We keep data for one year.\nanchor\nDevice and Usage Information\nWe collect device data.\n')).toEqual([
      'We keep data for one year.',
      'Device and Usage Information',
      'We collect device data.',
    ]);
  });
});

// A hard-wrapped copy of `input`: greedy word wrap at `width`, as mail clients and text exporters do.
function wrap(input: string, width: number): string {
  return input
    .split('\n')
    .map((line) => {
      const out: string[] = [];
      let current = '';
      for (const word of line.split(' ')) {
        if (current && current.length + 1 + word.length > width) {
          out.push(current);
          current = word;
        } else current = current ? `${current} ${word}` : word;
      }
      return [...out, current].join('\n');
    })
    .join('\n');
}

const POLICY = `Acme Privacy Policy

Effective as of April 15, 2024

This Privacy Policy explains how Acme Inc. and its affiliates collect and use personal data when you use the Acme Services, including our websites and mobile apps. It applies to every user of the Services worldwide.

Information we collect

We collect the information you give us when you create an account, such as your name, email address and date of birth. We also collect information about how you use the Services, such as the pages you view, the Pins you save and the searches you make on Acme.

Children's information

The Services are not directed to children. If we learn that a child under 13 has an account, we will delete it and all personal data linked to it within 30 days.

How long we keep information

We keep your personal data for as long as your account is open. After you close it, we delete or anonymise it within 90 days, unless the law requires us to keep it for longer, for example for tax purposes.

Contact us

If you have questions about this policy, contact our Data Protection Officer at dpo@acme.com or write to Acme Inc., Attn: Data Protection Officer, 1 Main Street, Springfield.
`;

describe('re-wrapped plain text', () => {
  it.each([60, 72, 80, 100])('gives the same sections when hard-wrapped at %i columns', (width) => {
    expect(sections(wrap(POLICY, width))).toEqual(sections(POLICY));
    expect(diff(POLICY, wrap(POLICY, width)).material).toBe(false);
    expect(diff(wrap(POLICY, 72), wrap(POLICY, width)).changes).toEqual([]);
  });

  it('joins a wrapped line that starts with a capital or a digit, and keeps real headings', () => {
    expect(sections(wrap(POLICY, 72)).map((s) => s.path)).toEqual(['Introduction', 'Information we collect', "Children's information", 'How long we keep information', 'Contact us']);
  });

  it('reads indentation relative to the document: a wholly indented text keeps its lines apart', () => {
    const input = 'Contact Us\n\nFitnest, Inc.\nAttn: Privacy Team\n405 Howard Street, San Francisco, CA 94105\n';
    const indented = input.replace(/^(?=.)/gm, '    ');
    expect(text(indented)).toEqual(text(input));
  });
});

describe('list markers in plain text', () => {
  const items = ['User data: your name, email address, date of birth and country.', 'Usage data: the songs you play and the searches you make.', 'Payment data: your card type and expiry date.'];
  const policy = (marker: (i: number) => string) =>
    `Personal data we collect\n\nWe collect the following categories of personal data:\n\n${items.map((item, i) => `${marker(i)} ${item}`).join('\n')}\n\nHow we use it\n\nWe use your personal data to provide the service.\n`;
  const bullets = policy(() => '•');

  it.each([
    ['1.', (i: number) => `${i + 1}.`],
    ['1)', (i: number) => `${i + 1})`],
    ['a)', (i: number) => `${String.fromCharCode(97 + i)})`],
    ['(a)', (i: number) => `(${String.fromCharCode(97 + i)})`],
    ['i.', (i: number) => `${['i', 'ii', 'iii'][i]}.`],
  ])('reads "%s" items as list items without their marker', (_name, marker) => {
    const numbered = policy(marker);
    expect(sections(numbered)).toEqual(sections(bullets));
    expect(diff(bullets, numbered).changes).toEqual([]);
  });

  it('starts an item at a lower-case marker only after a finished line', () => {
    expect(text('We share data with:\na) our processors;\nb) the police, when the law\nrequires it.\n')).toEqual(['We share data with:', 'a) our processors;', 'b) the police, when the law requires it.']);
  });

  it('keeps numbered short lines before prose as headings', () => {
    expect(sections('1. Information We Collect\n\nWe collect your name.\n\n2. How We Use It\n\nWe use it to run the service.\n').map((s) => s.path)).toEqual([
      '1. Information We Collect',
      '2. How We Use It',
    ]);
  });
});

describe('heading numbering and punctuation', () => {
  it.each([
    ['Section 3 – Retention', 'Retention'],
    ['Article IV: Transfers', 'Transfers'],
    ['xii) Cookies', 'Cookies'],
    ['Civil: rights', 'Civil: rights'],
    ['Mix. and match', 'Mix. and match'],
  ])('stripNumbering(%j) is %j', (heading, stripped) => {
    expect(stripNumbering(heading)).toBe(stripped);
  });

  const titles = ['Information We Collect', 'How We Use Information', 'How We Share Information', 'Retention', 'Your Choices and Rights', "Children's Privacy", 'Security', 'Changes to This Notice', 'Contact Us'];
  const bodies = [
    'We collect the information you give us, such as your name and email address.',
    'We use the information we collect to provide and improve the Services.',
    'We share information with service providers who process it for us.',
    'We keep your information for as long as your account is open.',
    'You can access, correct or delete your information in your settings.',
    'The Services are not directed to children under 13.',
    'We protect your information with encryption in transit and at rest.',
    'We will notify you by email before any material change takes effect.',
    'Fitnest, Inc.\nAttn: Privacy Team\nprivacy@fitnest.com',
  ];
  const policy = (number: (i: number) => string) => `Fitnest Privacy Notice\n\n${titles.map((t, i) => `${number(i)}${t}\n\n${bodies[i]}\n`).join('\n')}`;
  const ROMAN = ['I', 'II', 'III', 'IV', 'V', 'VI', 'VII', 'VIII', 'IX'];
  const numbered = policy((i) => `${i + 1}. `);
  const unnumbered = policy(() => '');

  it.each([
    ['roman "IV."', (i: number) => `${ROMAN[i]}. `],
    ['"Section 4 –"', (i: number) => `Section ${i + 1} \u2013 `],
    ['"Section 4."', (i: number) => `Section ${i + 1}. `],
    ['"Article IV:"', (i: number) => `Article ${ROMAN[i]}: `],
  ])('reads %s numbering like "4."', (_name, number) => {
    const renumbered = policy(number);
    const shape = (input: string) => readPolicy(input, { format: 'text' }).sections.map((s) => ({ id: s.id, level: s.level, text: s.text }));
    expect(shape(renumbered)).toEqual(shape(numbered));
    expect(diff(numbered, renumbered).material).toBe(false);
  });

  it('keeps the sections when numbering is removed', () => {
    expect(sections(unnumbered).map((s) => s.path)).toEqual(titles);
  });

  it('keeps headings that gain a trailing colon, and lead-ins stay lead-ins', () => {
    const colons = policy((i) => `${i + 1}. `).replace(/^(\d\. .*)$/gm, '$1:');
    expect(sections(colons)).toEqual(sections(numbered));
    const plain = unnumbered.replace(new RegExp(`^(${titles.map((t) => t.replace(/[()]/g, '\\$&')).join('|')})$`, 'gm'), '$1:');
    expect(sections(plain).map((s) => s.path)).toEqual(titles);
    expect(sections('Personal data we collect\n\nWe collect the following data when you sign up:\n\nName\nEmail address\n\nRetention\n\nWe keep it for a year.\n')).toEqual([
      { path: 'Personal data we collect', text: 'We collect the following data when you sign up:\n- Name\n- Email address' },
      { path: 'Retention', text: 'We keep it for a year.' },
    ]);
  });
});

describe('page chrome in plain text', () => {
  const base = `Streamly Privacy Policy

Personal data we collect

We collect your name, email address and the songs you play.

Data retention

We keep your personal data only as long as necessary to provide the service.

Contact us

If you have questions, contact our Data Protection Officer at dpo@streamly.com.
`;

  it.each([
    ['"Back to top" after each section', base.replace(/\n\n(Data retention|Contact us)\n/g, '\n\nBack to top\n\n$1\n')],
    ['"↑ Back to top" lines', base.replace(/\n\n(Data retention|Contact us)\n/g, '\n\u2191 Back to top\n\n$1\n')],
    ['a share bar and a print link', `${base}\nPrint this page\nShare this page: Facebook Twitter LinkedIn\n`],
    ['a table of contents', base.replace('\n\nPersonal data we collect\n', '\n\nContents\n1. Personal data we collect\n2. Data retention\n3. Contact us\n\nPersonal data we collect\n')],
    ['a table of contents announced by a sentence', base.replace('\n\nPersonal data we collect\n', '\n\nThis policy covers the following sections:\n\n1. Personal data we collect\n\n2. Data retention\n\n3. Contact us\n\nPersonal data we collect\n')],
    ['an unnumbered "Table of Contents:"', base.replace('\n\nPersonal data we collect\n', '\n\nTable of Contents:\nPersonal data we collect\nData retention\nContact us\n\nPersonal data we collect\n')],
    ['a toolbar of page actions', `${base}\nPrint | Download PDF | Share\n`],
    ['a breadcrumb trail', `Home > Legal > Privacy\n\n${base}`],
    ['a download link with its size and a reading time', `${base}\nDownload as PDF (120 KB)\n6 min read\n`],
    ['a cookie banner line ending in its buttons', `${base}\nWe use cookies to improve your experience. Accept all | Reject all | Cookie settings\n`],
    ['a cookie banner whose buttons ran together', `${base}\nWe use cookies to give you the best experience. By clicking "Accept all" you agree. Accept all   Reject all   Cookie settings\n`],
    ['a copyright footer with links', `${base}\n© 2025 Streamly AB. All rights reserved. Privacy · Terms · Do Not Sell or Share My Personal Information\n`],
    ['a "(c) <year>" copyright line', `${base}\n(c) 2025 Streamly AB. All rights reserved.\n`],
    ['a row of footer links', `${base}\nPrivacy · Terms · Cookie settings · Status\n`],
    ['a table of contents on one line', base.replace('\n\nPersonal data we collect\n', '\n\nOn this page: Personal data we collect · Data retention · Contact us\n\nPersonal data we collect\n')],
  ])('ignores %s', (_name, after) => {
    expect(sections(after)).toEqual(sections(base));
    expect(diff(base, after).changes).toEqual([]);
  });

  // Each of these took seconds to a minute in the chrome patterns' first version (backtracking);
  // a hostile page must not stall a check.
  it.each([
    ['a breadcrumb-like line of slashes', `home / ${'a / '.repeat(14)}>`],
    ['a banner-like line of repeated buttons', `${'necessary only '.repeat(25)}x necessary cookie`],
    ['a line of run-together controls', `Cookies: ${'accept all reject all '.repeat(15)}ok`],
  ])('reads %s at once, as text or chrome', (_name, line) => {
    const started = Date.now();
    parsePlainText(`Privacy\n\n${line}\n`);
    expect(Date.now() - started).toBeLessThan(1_000);
  });

  it('keeps a sentence that mentions sharing or the top of a page', () => {
    const input = 'Share your playlists with friends on Facebook.\nBack to top of the list, your saved songs appear first.\nYou can accept or reject cookies in Cookie settings.\n';
    expect(text(input)).toEqual(['Share your playlists with friends on Facebook.', 'Back to top of the list, your saved songs appear first.', 'You can accept or reject cookies in Cookie settings.']);
  });
});

describe('wrapped numbered items', () => {
  it('drops the marker of a numbered item wrapped over several lines too', () => {
    const long = '3. When you add a device (on the Device interface, you can view and add devices like IP cameras, storage devices and doorbells)';
    const input = (item: string) => `Information we collect\n\nWe collect the following information:\n\n${item}\n\nDevice SN; Device model; Device firmware version.\n`;
    expect(sections(input(wrap(long, 60)))).toEqual(sections(input(long)));
  });
});

describe('wrapped fragments are not headings', () => {
  it('keeps the last line of a paragraph whose wrap fell on a sentence end in the paragraph', () => {
    const paragraph = 'This Cookie Policy explains what cookies are and how we use them. This policy applies to the following domains: www.tim.family and';
    const input = (p: string) => `Privacy Policy\n\nWe keep your information as long as you are our client and for the period the law requires.\n\n\n${p}\n\n\nCookies are small text files that are used to store small pieces of information on your device.\n`;
    expect(sections(input(wrap(paragraph, 66))).map((s) => s.path)).toEqual(['Introduction']);
    expect(diff(input(paragraph), input(wrap(paragraph, 66))).material).toBe(false);
  });

  it('does not take a line ending in "and" or "the" for a heading', () => {
    expect(sections('Cookies\n\nWe use cookies to remember your settings.\n\nCookies and the\n\nSimilar technologies help us keep you signed in.\n').map((s) => s.path)).toEqual(['Cookies']);
  });
});

describe('numbered titles longer than the wrap width', () => {
  it('stay headings when wrapped', () => {
    const title = '22. When you de-register from the App and cease to use the device and our service';
    const body = 'Your telephone number and email address, which we use to confirm that the request comes from you and to close your account within thirty days.';
    const input = (t: string) => `21. When you write to us\n\n${wrap(body, 60)}\n\n${t}\n\n${wrap(body, 60)}\n\n${wrap(body, 60)}\n`;
    expect(sections(input(wrap(title, 60))).map((s) => s.path)).toEqual(['21. When you write to us', title]);
  });
});
