/**
 * Cosmetic edits: revisions that change no obligation and must never alert (DESIGN.md §2, "Not
 * material"). They are the noise real policy pages produce between fetches: a bumped "last
 * updated" date, reflowed whitespace, curly vs straight quotes, an Oxford comma, a heading's case,
 * a moved link target, two sections or list items swapped, the archive preamble dropped, a typo.
 *
 * Places for whitespace and quote edits are drawn with a seeded Rng, so they land on lines no one
 * picked by hand. Plain-text seed 000 treats each line as a clause boundary, so it is never
 * re-wrapped; its reflow edits add spaces only.
 */
import {
  replace,
  swapBlocks,
  transform,
  type CosmeticEdit,
  type CosmeticKind,
  type Rng,
  type RngFactory,
  type SeedKey,
  type TextOp,
} from './spec.ts';

function edit(seed: SeedKey, kind: CosmeticKind, description: string, ops: TextOp | TextOp[]): CosmeticEdit {
  return { seed, kind, description, ops: Array.isArray(ops) ? ops : [ops] };
}

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

/** A date 1–700 days after `date` (UTC arithmetic on fixed values: no clock involved). */
function laterDate(rng: Rng, date: Date): Date {
  return new Date(date.getTime() + (1 + rng.int(700)) * 86_400_000);
}

const longDate = (d: Date): string => `${MONTHS[d.getUTCMonth()]} ${d.getUTCDate()}, ${d.getUTCFullYear()}`;
const slashDate = (d: Date): string =>
  `${String(d.getUTCMonth() + 1).padStart(2, '0')}/${String(d.getUTCDate()).padStart(2, '0')}/${d.getUTCFullYear()}`;

function dates(rngFor: RngFactory): CosmeticEdit[] {
  const rng = rngFor('cosmetic.dates');
  const edits: CosmeticEdit[] = [];
  const bump = (seed: SeedKey, label: string, original: string, base: Date, format: (d: Date) => string): void => {
    for (let i = 0; i < 3; i++) {
      const next = format(laterDate(rng, base));
      edits.push(edit(seed, 'date', `${label}: ${original} → ${next}`, replace(`${original}`, next)));
    }
  };
  bump('000', 'cookie notice "Last updated as of" date', 'November 11, 2020', new Date(Date.UTC(2020, 10, 11)), longDate);
  bump('001', 'validity start date', '08/21/2023', new Date(Date.UTC(2023, 7, 21)), slashDate);
  bump('002', '"Last modified" date', 'January 10, 2023', new Date(Date.UTC(2023, 0, 10)), longDate);
  bump('004', '"Last Updated" date', 'May 25, 2018', new Date(Date.UTC(2018, 4, 25)), longDate);
  return edits;
}

/** Lines (with their index) that satisfy `accept`, for placing a whitespace or quote edit. */
function candidateLines(text: string, accept: (line: string, next: string | undefined) => boolean): number[] {
  const lines = text.split('\n');
  return lines.flatMap((line, i) => (accept(line, lines[i + 1]) ? [i] : []));
}

function mapLine(text: string, index: number, change: (line: string) => string): string {
  const lines = text.split('\n');
  lines[index] = change(lines[index]!);
  return lines.join('\n');
}

const PROSE_LINE = /^\s*[A-Z“"][^\n]{60,}[.!?;:]$/;

/** Doubles one space in `count` prose lines chosen by the Rng. */
function doubleSpaces(rng: Rng, count: number) {
  return (text: string): string => {
    const lines = candidateLines(text, (line) => PROSE_LINE.test(line));
    let out = text;
    for (let k = 0; k < count; k++) {
      const index = lines.splice(rng.int(lines.length), 1)[0]!;
      out = mapLine(out, index, (line) => {
        const trimmedStart = line.length - line.trimStart().length;
        const spaces = [...line.matchAll(/ /g)].map((m) => m.index!).filter((i) => i > trimmedStart);
        const at = spaces[rng.int(spaces.length)]!;
        return `${line.slice(0, at)}  ${line.slice(at + 1)}`;
      });
    }
    return out;
  };
}

/** Adds trailing spaces to `count` sentence lines that are followed by another sentence line. */
function trailingSpaces(rng: Rng, count: number) {
  return (text: string): string => {
    const lines = candidateLines(text, (line, next) => PROSE_LINE.test(line) && /[.!?]$/.test(line) && next !== undefined && PROSE_LINE.test(next));
    let out = text;
    for (let k = 0; k < count; k++) {
      const index = lines.splice(rng.int(lines.length), 1)[0]!;
      out = mapLine(out, index, (line) => `${line}${' '.repeat(1 + rng.int(3))}`);
    }
    return out;
  };
}

/** Hard-wraps one long Markdown paragraph at about 80 columns (Markdown joins the lines again). */
function hardWrap(rng: Rng) {
  return (text: string): string => {
    const lines = candidateLines(text, (line) => line.length > 240 && /^[A-Z]/.test(line));
    const index = lines[rng.int(lines.length)]!;
    return mapLine(text, index, (line) => {
      const wrapped: string[] = [];
      let current = '';
      for (const word of line.split(' ')) {
        if (current && current.length + word.length + 1 > 80) {
          wrapped.push(current);
          current = word;
        } else {
          current = current ? `${current} ${word}` : word;
        }
      }
      wrapped.push(current);
      return wrapped.join('\n');
    });
  };
}

/** Turns one blank line between paragraphs into two. */
function extraBlankLine(rng: Rng) {
  return (text: string): string => {
    const lines = candidateLines(text, (line, next) => PROSE_LINE.test(line) && next === '');
    return mapLine(text, lines[rng.int(lines.length)]!, (line) => `${line}\n`);
  };
}

function whitespace(rngFor: RngFactory): CosmeticEdit[] {
  const rng = rngFor('cosmetic.whitespace');
  return [
    edit('000', 'whitespace', 'a doubled space inside one sentence', transform(doubleSpaces(rng, 1))),
    edit('000', 'whitespace', 'doubled spaces inside three sentences', transform(doubleSpaces(rng, 3))),
    edit('000', 'whitespace', 'doubled spaces inside five sentences', transform(doubleSpaces(rng, 5))),
    edit('000', 'whitespace', 'trailing spaces after one sentence line', transform(trailingSpaces(rng, 1))),
    edit('000', 'whitespace', 'trailing spaces after three sentence lines', transform(trailingSpaces(rng, 3))),
    edit('001', 'whitespace', 'doubled spaces inside two paragraphs', transform(doubleSpaces(rng, 2))),
    edit('001', 'whitespace', 'three blank lines instead of two between two paragraphs',
      replace('HERE\n\n\nWe only use your data', 'HERE\n\n\n\nWe only use your data')),
    edit('001', 'whitespace', 'indented rights paragraph re-indented with a tab instead of four spaces',
      replace('    You always have the right to inspect the data', '\tYou always have the right to inspect the data')),
    edit('002', 'whitespace', 'doubled spaces inside two paragraphs', transform(doubleSpaces(rng, 2))),
    edit('002', 'whitespace', 'non-breaking spaces in the rights list replaced by plain spaces',
      replace('Request access\u00a0to your personal data', 'Request access to your personal data')),
    edit('002', 'whitespace', 'trailing space removed after the Hong Kong introduction',
      replace('If any conflict arises between the main Privacy Policy, the following terms shall prevail: \n\nAs a Hong Kong SAR',
        'If any conflict arises between the main Privacy Policy, the following terms shall prevail:\n\nAs a Hong Kong SAR')),
    edit('003', 'whitespace', 'a long paragraph hard-wrapped at 80 columns', transform(hardWrap(rng))),
    edit('003', 'whitespace', 'an extra blank line between paragraphs', transform(extraBlankLine(rng))),
    edit('004', 'whitespace', 'a long paragraph hard-wrapped at 80 columns', transform(hardWrap(rng))),
    edit('004', 'whitespace', 'another long paragraph hard-wrapped at 80 columns', transform(hardWrap(rng))),
    edit('004', 'whitespace', 'doubled spaces inside three paragraphs', transform(doubleSpaces(rng, 3))),
    edit('004', 'whitespace', 'the whole file served with CRLF line endings', transform((text) => text.replace(/\n/g, '\r\n'))),
  ];
}

/** Straightens the curly quotes of one Rng-chosen line that has some. */
function straightenQuotesInLine(rng: Rng) {
  return (text: string): string => {
    const lines = candidateLines(text, (line) => /[‘’“”]/.test(line) && line.trim().length > 40);
    return mapLine(text, lines[rng.int(lines.length)]!, (line) => line.replace(/[‘’]/g, "'").replace(/[“”]/g, '"'));
  };
}

function quotes(rngFor: RngFactory): CosmeticEdit[] {
  const rng = rngFor('cosmetic.quotes');
  return [
    edit('000', 'quotes', 'curly quotes straightened in one line', transform(straightenQuotesInLine(rng))),
    edit('000', 'quotes', 'curly quotes straightened in another line', transform(straightenQuotesInLine(rng))),
    edit('000', 'quotes', 'curly quotes straightened throughout the document', transform((text) => text.replace(/[‘’]/g, "'").replace(/[“”]/g, '"'))),
    edit('001', 'quotes', 'straight quotes around "use product" made curly', replace('"use product"', '“use product”')),
    edit('002', 'quotes', 'curly quotes around “personal data” straightened', replace('“personal data” means', '"personal data" means')),
    edit('003', 'quotes', "Company's written with a typographic apostrophe", replace("Company's database", 'Company’s database')),
    edit('004', 'quotes', 'typographic apostrophes in "don’t" straightened', [replace('If you don’t feel like', "If you don't feel like"), replace('Don’t forget', "Don't forget")]),
    edit('004', 'quotes', 'curly quotes around “Unsubscribe” straightened', replace('“Unsubscribe”', '"Unsubscribe"')),
  ];
}

function punctuation(): CosmeticEdit[] {
  return [
    edit('000', 'punctuation', 'Oxford comma dropped in "name, email, and billing address"', replace('name, email, and billing address', 'name, email and billing address')),
    edit('000', 'punctuation', 'Oxford comma dropped in one purpose list item', replace('Detect fraud, illegal activities, or security breaches\nEnable', 'Detect fraud, illegal activities or security breaches\nEnable')),
    edit('001', 'punctuation', 'Oxford comma dropped in "TIM events, TIM news, and TIM branded product updates"',
      replace('TIM events, TIM news, and TIM branded product updates', 'TIM events, TIM news and TIM branded product updates')),
    edit('001', 'punctuation', 'a period added after "HERE"', replace('data privacy policies, HERE\n', 'data privacy policies, HERE.\n')),
    edit('002', 'punctuation', 'Oxford comma added in the list of contact details', replace('e-mail address and telephone number.', 'e-mail address, and telephone number.')),
    edit('002', 'punctuation', 'commas around an aside replaced by parentheses',
      replace('our Privacy Policy, accessible via the headings below, and let us know', 'our Privacy Policy (accessible via the headings below) and let us know')),
    edit('003', 'punctuation', 'the colon before the contact address removed', replace('you can contact us at: [info@ImLive.com]', 'you can contact us at [info@ImLive.com]')),
    edit('003', 'punctuation', 'a missing final period added', replace('and will not be presented\n', 'and will not be presented.\n')),
    edit('004', 'punctuation', 'commas added to "this Privacy Policy Our Cookies Policy and Terms of Use"',
      replace('this Privacy Policy Our Cookies Policy and Terms of Use.', 'this Privacy Policy, Our Cookies Policy, and Terms of Use.')),
    edit('004', 'punctuation', 'a stray semicolon removed ("please; contact us")', replace('please; contact us', 'please contact us')),
    edit('004', 'punctuation', 'a stray dash removed ("such as- cookies")', replace('(such as- cookies,', '(such as cookies,')),
  ];
}

function letterCase(): CosmeticEdit[] {
  return [
    edit('000', 'case', 'heading "Children’s Privacy" in sentence case', replace('Children’s Privacy\n', 'Children’s privacy\n')),
    edit('000', 'case', 'heading "Do Not Track" in sentence case', replace('Do Not Track\n', 'Do not track\n')),
    edit('001', 'case', '"google analytics" capitalised as a product name', replace('google analytics', 'Google Analytics', 'all')),
    edit('002', 'case', 'heading "About Us" in sentence case', replace('About Us\n', 'About us\n')),
    edit('002', 'case', 'heading "9. Updates to Our Privacy Policy" in sentence case', replace('9. Updates to Our Privacy Policy', '9. Updates to our Privacy Policy')),
    edit('003', 'case', 'heading "Questions?" in upper case', replace('**Questions?**', '**QUESTIONS?**')),
    edit('004', 'case', 'heading "SECURITY" in title case', replace('**SECURITY**', '**Security**')),
    edit('004', 'case', 'heading "RETENTION" in title case', replace('**RETENTION**', '**Retention**')),
  ];
}

function links(): CosmeticEdit[] {
  return [
    edit('000', 'link', 'CCPA opt-out URL moved (first mention)', replace('www.imvu.com/next/policyhub/ccpa/', 'www.imvu.com/policy/ccpa/', 1)),
    edit('000', 'link', 'CCPA opt-out URL moved (both mentions)', replace('www.imvu.com/next/policyhub/ccpa/', 'www.imvu.com/policy/ccpa/', 'all')),
    edit('000', 'link', 'GDPR consent URL moved', replace('www.imvu.com/next/policyhub/gdprconsent/', 'www.imvu.com/policy/gdpr-consent/')),
    edit('002', 'link', 'EU data protection authorities URL updated to the EDPB page',
      replace('http://ec.europa.eu/justice/article-29/structure/data-protection-authorities/index_en.htm', 'https://edpb.europa.eu/about-edpb/about-edpb/members_en')),
    edit('004', 'link', 'cookie policy links moved under /en/', replace('(https://www.imvbox.com/cookies-policy)', '(https://www.imvbox.com/en/cookies-policy)', 'all')),
    edit('004', 'link', 'NAI link updated', replace('(https://www.networkadvertising.org/)', '(https://thenai.org/)')),
    edit('004', 'link', 'ICO link now points at its complaints page', replace('(https://ico.org.uk/)', '(https://ico.org.uk/make-a-complaint/)')),
    edit('004', 'link', 'privacy policy link target moved', replace('(https://www.imvbox.com/privacy-policy)', '(https://imvbox.com/en/privacy-policy)')),
    edit('003', 'link', 'contact mailto link lower-cased', replace('(mailto:info@ImLive.com)', '(mailto:info@imlive.com)')),
  ];
}

function reorderSections(): CosmeticEdit[] {
  return [
    edit('000', 'reorder-sections', '"Payment Processing" and "Third-Party Sign-In" swapped',
      swapBlocks('Payment Processing\n', 'Third-Party Sign-In\n', 'Third Party Offers and Co-Branded Sites\n')),
    edit('001', 'reorder-sections', 'the automatically-collected-data paragraph and the scam-investigation paragraph swapped',
      swapBlocks('Data that is automatically collected by our website', 'In cases of scamming, account hacking', 'We keep your information as long as you are our client.')),
    edit('002', 'reorder-sections', 'jurisdiction subsections "Hong Kong SAR" and "United States" swapped',
      swapBlocks('Hong Kong SAR\n\nIf you are using', 'United States\n\nIf you are using', 'Russia\n\nIf you are using')),
    edit('003', 'reorder-sections', '"Third party collection of information." and "How can you update or delete…" swapped',
      swapBlocks('**Third party collection of information.**', '**How can you update or delete the information held by us?**', '**Questions?**')),
    edit('004', 'reorder-sections', '"THIRD PARTY ADVERTISERS" and "THIRD PARTY WEBSITES" swapped',
      swapBlocks('**THIRD PARTY ADVERTISERS**', '**THIRD PARTY WEBSITES**', '**YOUR CHOICES AND YOUR RIGHTS OVER YOUR PERSONAL INFORMATION**')),
    edit('004', 'reorder-sections', '"SECURITY" and "RETENTION" swapped', swapBlocks('**SECURITY**', '**RETENTION**', "**CHILDREN'S PRIVACY**")),
    edit('004', 'reorder-sections', '"CHILDREN\'S PRIVACY" and "CHANGES TO THIS PRIVACY POLICY" swapped',
      swapBlocks("**CHILDREN'S PRIVACY**", '**CHANGES TO THIS PRIVACY POLICY**', '**CONTACT US**')),
  ];
}

function reorderLists(): CosmeticEdit[] {
  return [
    edit('000', 'reorder-list', 'registration list: "Name" and "Avatar or username" swapped', replace('Name\nAvatar or username\n', 'Avatar or username\nName\n')),
    edit('000', 'reorder-list', 'service provider categories: "Customer support services" and "Surveys and promotions" swapped',
      replace('Customer support services\nSurveys and promotions\n', 'Surveys and promotions\nCustomer support services\n')),
    edit('000', 'reorder-list', 'GDPR rights list: access and rectification items swapped',
      swapBlocks('The right of access –', 'The right to rectification –', 'The right to erasure')),
    edit('002', 'reorder-list', '5.2 list: the first two reasons swapped',
      swapBlocks('\u00a0To comply with any court order', '\u00a0\u00a0To enforce or apply our Terms of Use', '\u00a0\u00a0If we believe disclosure')),
    edit('003', 'reorder-list', 'use list: the first two bullets swapped',
      swapBlocks('  * We may use this information to improve', '  * We may also use information about you', '  * We may use this information to answer')),
  ];
}

const PREAMBLE_RE = /^> \*The following text is extracted[^\n]*\n\n/;

function preamble(): CosmeticEdit[] {
  const dropPreamble = transform((text) => {
    if (!PREAMBLE_RE.test(text)) throw new Error('archive preamble not found; this is a bug in the corpus');
    return text.replace(PREAMBLE_RE, '');
  });
  return [
    edit('003', 'preamble', 'archive preamble quote removed', dropPreamble),
    edit('004', 'preamble', 'archive preamble quote removed', dropPreamble),
    edit('003', 'preamble', 'archive preamble now names a later snapshot', [replace('archived on 2010-06-26', 'archived on 2010-07-14'), replace('web/20100626094354id_', 'web/20100714101522id_')]),
    edit('004', 'preamble', 'archive preamble now names a later snapshot', [replace('archived on 2019-04-21', 'archived on 2019-06-02'), replace('web/20190421211600id_', 'web/20190602083012id_')]),
  ];
}

function typos(): CosmeticEdit[] {
  return [
    edit('001', 'typo', '"propritary" → "proprietary" (hosting paragraph)', replace('our own propritary offshore', 'our own proprietary offshore')),
    edit('001', 'typo', '"propritary" → "proprietary" (Cloudflare paragraph)', replace('our own propritary security', 'our own proprietary security')),
    edit('001', 'typo', '"Encrpytion" → "Encryption"', replace('Encrpytion keys', 'Encryption keys')),
    edit('001', 'typo', '"intercetion" → "interception"', replace('prevent intercetion', 'prevent interception')),
    edit('001', 'typo', '"labled" → "labeled"', replace('subsections labled', 'subsections labeled')),
    edit('001', 'typo', '"Absolutly" → "Absolutely"', replace('Absolutly no financial', 'Absolutely no financial')),
    edit('001', 'typo', '"immediatly" → "immediately"', replace('will be immediatly deleted', 'will be immediately deleted')),
    edit('000', 'typo', '"useable" → "usable"', replace('readily useable', 'readily usable')),
    edit('002', 'typo', '"detention" → "detection" in the AI purpose', replace('accuracy of the AI detention for', 'accuracy of the AI detection for')),
    edit('002', 'typo', '"analyse" → "analyze"', replace('and analyse your usage', 'and analyze your usage')),
    edit('004', 'typo', '"customise" → "customize"', replace('otherwise customise your experience', 'otherwise customize your experience')),
  ];
}

/** An editor's style pass: the same words in another house style. */
function wording(): CosmeticEdit[] {
  return [
    edit('000', 'wording', 'response time: "45 days" → "forty-five (45) days"', replace('within 45 days of its receipt', 'within forty-five (45) days of its receipt')),
    edit('000', 'wording', 'extension: "up to 90 days" → "up to ninety (90) days"', replace('(up to 90 days)', '(up to ninety (90) days)')),
    edit('001', 'wording', 'victims notified: "14 days" → "fourteen days"', replace('with the victims 14 days after notification', 'with the victims fourteen days after notification')),
    edit('001', 'wording', '"e-mail address" → "email address"', replace('your name and e-mail address for its own', 'your name and email address for its own')),
    edit('001', 'wording', '"help and support desk" → "help & support desk" (first request paragraph)', replace('that effect to our help and support desk. You', 'that effect to our help & support desk. You', 1)),
    edit('002', 'wording', '"e-mail" → "email" in the contact paragraph', replace('send us an e-mail at privacy@', 'send us an email at privacy@')),
    edit('002', 'wording', '"terms and conditions" → "terms & conditions"', replace('our terms and conditions for users', 'our terms & conditions for users')),
  ];
}

/** Every cosmetic edit, grouped by why it changes no meaning. */
export function cosmeticEdits(rngFor: RngFactory): CosmeticEdit[] {
  return [
    ...dates(rngFor),
    ...whitespace(rngFor),
    ...quotes(rngFor),
    ...punctuation(),
    ...letterCase(),
    ...links(),
    ...reorderSections(),
    ...reorderLists(),
    ...preamble(),
    ...typos(),
    ...wording(),
  ];
}

