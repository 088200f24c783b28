// Each seed is a different real-world shape; these pin the structure a reader sees in each one.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseDocument } from '../../functions/core/parse.ts';
import { splitSections } from '../../functions/core/sections.ts';
import type { InputFormat, Section } from '../../functions/core/types.ts';

function seed(file: string, format: InputFormat) {
  const document = parseDocument(readFileSync(new URL(`../../seeds/${file}`, import.meta.url), 'utf8'), { format });
  return { document, sections: splitSections(document) };
}

const topHeadings = (sections: Section[], level = 2) => sections.filter((s) => s.level === level).map((s) => s.heading);
const sectionContaining = (sections: Section[], phrase: string) => sections.filter((s) => s.text.includes(phrase)).map((s) => s.path);

describe('IMVU plain text (chunk separators, short-line headings among list items)', () => {
  const { document, sections } = seed('000_537b26e9ef15c555.txt', 'text');

  it('finds the headings a reader sees, in order', () => {
    const headings = topHeadings(sections);
    expect(headings.slice(0, 6)).toEqual([
      'Who We Are/Data Controller',
      'Changes to this Privacy Notice',
      "Children's Privacy",
      'What Personal Information Do We Collect and How Is It Collected?',
      'Information Collected Directly',
      'Account Registration Information',
    ]);
    expect(headings).toContain('How Long Do We Keep Your Personal Information?');
    expect(headings).toContain('Staying in Control of Your Information: Your Rights');
    expect(headings).toContain('Additional Information for California Residents');
    expect(headings).toContain('IMVU Cookie Notice');
  });

  it('keeps short list items such as "Name" and "Password" as list items, not headings', () => {
    const all = sections.map((s) => s.heading);
    for (const item of ['Name', 'Password', 'Email address', 'Age', 'Gender', 'Analytics services', 'Provide you the Services']) {
      expect(all).not.toContain(item);
    }
    const account = sections.find((s) => s.heading === 'Account Registration Information')!;
    expect(account.text).toContain('- Name\n- Avatar or username\n- Password\n- Email address\n- Age');
  });

  it('drops extraction artifacts and rejoins lines cut around inline links', () => {
    expect(sections.some((s) => /\banchor\b/.test(s.text))).toBe(false);
    const intro = sections.find((s) => s.id === 'introduction')!;
    expect(intro.text).toContain('This Privacy Notice and our Cookie Notice govern how IMVU may collect');
  });

  it('places the retention clause under its retention heading', () => {
    expect(sectionContaining(sections, 'We use the following criteria to determine our retention periods')).toEqual([
      ['How Long Do We Keep Your Personal Information?'],
    ]);
  });

  it('reads the cookie notice date as the effective date', () => {
    expect(document.effectiveDate).toBe('2020-11-11');
  });
});

describe('TIM plain text (few headings, prose separated by blank lines)', () => {
  const { document, sections } = seed('001_385b34c13817e14e.txt', 'text');

  it('takes the title and the validity start date', () => {
    expect(document.title).toBe('Privacy Policy');
    expect(document.effectiveDate).toBe('2023-08-21');
  });

  it('keeps its two headings and opens untitled sections at strong paragraph breaks', () => {
    const titled = sections.filter((s) => !s.untitled && s.id !== 'introduction').map((s) => s.heading);
    expect(titled).toEqual(['Emails and mailing lists', 'Google Analytics']);
    expect(sections.filter((s) => s.untitled).length).toBeGreaterThanOrEqual(10);
    const mail = sections.find((s) => s.heading === 'Emails and mailing lists')!;
    expect(mail.text.split('\n')).toHaveLength(3);
    expect(mail.text).toMatch(/^- We send our transactional emails/);
  });

  it('puts the retention clause in its own section, not under "Google Analytics"', () => {
    expect(sectionContaining(sections, 'We keep your information as long as you are our client')).toEqual([['We keep your information as long as you…']]);
  });
});

describe('Imou plain text (numbered sections, table of contents, flattened tables)', () => {
  const { document, sections } = seed('002_49cf42f951bbf583.txt', 'text');

  it('takes the title and "Last modified" date out of the body', () => {
    expect(document.title).toBe('Imou Privacy Policy');
    expect(document.effectiveDate).toBe('2023-01-10');
    expect(sections.some((s) => s.text.includes('Last modified'))).toBe(false);
  });

  it('finds the eleven numbered top-level sections once each (the table of contents is not a heading)', () => {
    const numbered = topHeadings(sections).filter((h) => /^\d+\. /.test(h));
    expect(numbered).toEqual([
      '1. How we collect and use your personal data',
      '2. Cookies and other technologies',
      "3. How we process children's personal data",
      '4. How we store and protect your personal data',
      '5. How we disclose Personal Data',
      '6. Third Party Suppliers and Their Services',
      '7. International Transfers of your personal data',
      '8. Your Rights to your personal data',
      '9. Updates to Our Privacy Policy',
      '10. How to contact us',
      '11. Special Section for Certain Jurisdictions',
    ]);
    const about = sections.find((s) => s.heading === 'About this Privacy Policy')!;
    expect(about.text).not.toContain('How we collect and use your personal data'); // the contents list repeats the headings: page chrome
  });

  it('nests numbered table rows and dotted subsections under their section', () => {
    const row = sections.find((s) => s.heading.startsWith('2. When you log in'))!;
    expect(row.path[0]).toBe('1. How we collect and use your personal data');
    expect(row.level).toBeGreaterThan(2);
    expect(sections.find((s) => s.heading === '4.1 Data Security Measures')!.path).toEqual([
      '4. How we store and protect your personal data',
      '4.1 Data Security Measures',
    ]);
  });

  it('places the retention clause under 4.2 Retention Policy', () => {
    expect(sectionContaining(sections, 'Your personal data will be retained for as long as required')).toEqual([
      ['4. How we store and protect your personal data', '4.2 Retention Policy'],
    ]);
  });

  it('gives sections ids without their numbers, so renumbering keeps identity', () => {
    expect(sections.find((s) => s.heading === '4.2 Retention Policy')!.id).toBe('how-we-store-and-protect-your-personal-data/retention-policy');
  });
});

describe('ImLive Markdown (archive preamble, **bold** question headings)', () => {
  const { document, sections } = seed('003_6ba51710ef538019.txt', 'markdown');

  it('drops the Wayback preamble and takes the # title', () => {
    expect(document.title).toBe('Privacy Policy - Live Video Chat at ImLive');
    expect(sections.some((s) => /Wayback|archived/.test(s.text))).toBe(false);
  });

  it('turns bold paragraphs into headings', () => {
    expect(topHeadings(sections)).toEqual([
      'How may we use the information held by us?',
      'When may we disclose your information?',
      'Third party collection of information.',
      'How can you update or delete the information held by us?',
      'Questions?',
    ]);
  });

  it('keeps the retention clause ("We also retain copies") in the introduction', () => {
    expect(sectionContaining(sections, 'We also retain copies of statements')).toEqual([['Introduction']]);
  });

  it('keeps link text and drops link targets', () => {
    const questions = sections.find((s) => s.heading === 'Questions?')!;
    expect(questions.text).toBe('If you have any questions about this Privacy Policy, you can contact us at: info@ImLive.com.');
  });
});

describe('IMVBox Markdown (**UPPERCASE** headings, short-line and dash sub-headings)', () => {
  const { document, sections } = seed('004_419ecedd7c3c2f36.txt', 'markdown');

  it('reads the "Last Updated" date at the end', () => {
    expect(document.effectiveDate).toBe('2018-05-25');
  });

  it('finds the uppercase headings at the top level', () => {
    expect(topHeadings(sections)).toEqual([
      'INFORMATION WE COLLECT',
      'HOW WE USE INFORMATION WE COLLECT',
      'HOW WE SHARE INFORMATION',
      'THIRD PARTY ADVERTISERS',
      'THIRD PARTY WEBSITES',
      'YOUR CHOICES AND YOUR RIGHTS OVER YOUR PERSONAL INFORMATION',
      'SECURITY',
      'RETENTION',
      "CHILDREN'S PRIVACY",
      'CHANGES TO THIS PRIVACY POLICY',
      'CONTACT US',
    ]);
  });

  it('nests short-line and dash headings below them', () => {
    expect(sections.find((s) => s.heading === 'Payment information')!.path).toEqual(['INFORMATION WE COLLECT', 'Payment information']);
    expect(sections.find((s) => s.heading === 'Account')!.path).toEqual([
      'YOUR CHOICES AND YOUR RIGHTS OVER YOUR PERSONAL INFORMATION',
      'Your choices',
      'Account',
    ]);
  });

  it('places the retention clause under RETENTION', () => {
    expect(sectionContaining(sections, 'IMVBox will keep your Personal Information for as long as')).toEqual([['RETENTION']]);
  });
});
