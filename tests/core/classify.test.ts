import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { CATEGORY_RULES, CATEGORY_THRESHOLD, HEADING_WEIGHT } from '../../functions/core/category-rules.ts';
import { classifyClause, explainCategories, prepareClause, scoreCategories } from '../../functions/core/classify.ts';
import { CATEGORIES, type Category } from '../../functions/core/types.ts';

const SEEDS_DIR = fileURLToPath(new URL('../../seeds/', import.meta.url));
const seedTexts = readdirSync(SEEDS_DIR)
  .filter((name) => name.endsWith('.txt'))
  .map((name) => readFileSync(SEEDS_DIR + name, 'utf8'));

describe('classifyClause', () => {
  // Clauses from the seeds and, for generality, in the style of large policies (Google, Meta, Stripe).
  it.each<[string, Category[]]>([
    ['We keep logs for 30 days.', ['retention']],
    ['Your personal data will be retained for as long as required for the purposes described in this Privacy Policy.', ['retention']],
    ['We delete inactive accounts after 24 months of inactivity.', ['retention']],
    ["IMVU may share users' information with our third party agents, contractors, or service providers who are hired to perform services on IMVU's behalf.", ['sharing']],
    ['We may disclose your personal information to law enforcement agencies when required by a valid subpoena.', ['sharing']],
    ['Until then, audio clips are shared with our speech-recognition provider.', ['sharing']],
    ['Our partners may also use your data for their own purposes.', ['sharing']],
    ['You must be at least 18 to use BudgetBee.', ['children']],
    ['Our support team is based in South Africa.', ['transfers']],
    ["If an automated decision deactivates a driver's account, the driver can request human review of the decision.", ['rights']],
    ['We only use student data to provide the service to the school and for our own product research.', ['use']],
    ['We infer your age range, gender and interests from your listening activity.', ['collection']],
    ['Viewing Information Services are on by default.', ['rights']],
    ['We do not sell your personal information.', ['sale']],
    ['We share identifiers with advertising partners for cross-context behavioral advertising, which may be considered a "sale" or "sharing" under California law.', ['sale', 'sharing']],
    ['The right to erasure (also known as the ‘right to be forgotten’) – under certain circumstances, you may ask us to delete the Personal Data we have about you.', ['rights']],
    ['Finally, you have the right to make a complaint at any time to the supervisory authority for data protection issues in your country of residence.', ['rights']],
    ['We will respond to all legitimate requests within one month.', ['rights']],
    ['Our Services are not intended for children under the age of 13.', ['children']],
    ['We are located in the United States, and the personal information that we collect is stored on servers located in the United States.', ['transfers']],
    ['When we transfer personal data outside the EEA, we rely on the Standard Contractual Clauses approved by the European Commission.', ['transfers']],
    ['All data going in and out of these servers is SSL encrypted to prevent interception by third parties.', ['security']],
    ['If we become aware of a data breach affecting your information, we will notify you within 72 hours.', ['security']],
    ['We use voiceprints to verify your identity when you call customer support.', ['biometrics']],
    ['We collect face geometry from photos you upload to suggest tags.', ['collection', 'biometrics']],
    ['We use functional cookies to ensure that our website and services operate properly and analytical cookies to make your user experience optimal.', ['tracking']],
    ['IMVU does not track individuals across multiple platforms.', ['tracking']],
    ['We use the Meta Pixel and the TikTok SDK to measure the effectiveness of our ads.', ['tracking']],
    ['We process your personal data on the basis of our legitimate interests or where processing is necessary for the performance of a contract with you.', ['legal-basis', 'use']],
    ['IMVU may update this Privacy Notice from time to time, in its sole discretion. If we make material changes, we will notify you by email.', ['policy-changes']],
    ['Your continued use of the Services after the effective date constitutes acceptance of the revised policy.', ['policy-changes']],
    ['We collect information you provide directly, such as your name, email address and date of birth, and information collected automatically, such as your IP address.', ['collection']],
    ['We use your information to provide, maintain and improve the Services and to communicate with you.', ['use']],
    ['You can reach our Data Protection Officer at dpo@example.com or by mail at 1600 Amphitheatre Parkway, Mountain View.', ['contact']],
    // Disclosure stated without a recipient, and legal process as disclosure.
    ['We may also share personal information about you in this case.', ['sharing']],
    ['If we are required to disclose personal information by law, we will do so.', ['sharing']],
    // Sale: any user data sold or rented; disclosure for the recipient's own marketing or for money.
    ['We may sell or rent your email address and profile to carefully selected partners.', ['sale', 'sharing']],
    ["We may share your personal information with third parties for those third parties' direct marketing purposes.", ['sharing', 'sale']],
    ['We may make your data available to selected partners for commercial purposes.', ['sharing', 'sale']],
    ['Personalized ads are on by default; you can turn them off in Settings.', ['sale', 'rights']],
    // Rights: automated decisions; "impact on your rights" is no statement of a right.
    ['You have the right not to be subject to a decision based solely on automated processing.', ['rights']],
    ['If we make changes that will have a substantial impact on your rights, we will notify you by email at least 30 days before they take effect.', ['policy-changes']],
    // Collection: data kinds and sources that are a collection decision on their own.
    ['Your contacts list and call log, if you grant the permission.', ['collection']],
    ['Data from data brokers and public databases, such as demographic and interest data.', ['collection']],
    // Use: training models on user data.
    ['To train and improve our AI models using your video recordings.', ['use']],
  ])('classifies %j', (clause, expected) => {
    expect(classifyClause(clause)).toEqual(expected);
  });

  // Biometrics is named by what is measured and what it is used for, not only by "biometric".
  it.each([
    'We analyze the geometry of your face to apply filters.',
    'We check that your face matches the photo on your ID.',
    'You can sign in by scanning the vein pattern of your palm.',
    'The assistant builds a voice profile so it can tell who is speaking.',
    'Our support line uses speaker recognition to confirm who you are.',
    'We use voice recognition to confirm that it is really you.',
    'We may estimate your age from a scan of your face.',
    'The app maps facial landmarks to animate your avatar.',
  ])('finds biometrics in %j', (clause) => {
    expect(classifyClause(clause)).toContain('biometrics');
  });

  it.each([
    ['We use your donation history to target advertising on social media.', ['sale', 'use']],
    ['We do not use your donation history to target advertising on social media.', ['sale', 'use']],
  ])('classifies ad targeting in %j', (clause, expected) => {
    expect([...classifyClause(clause)].sort()).toEqual(expected);
  });

  it('orders categories strongest first', () => {
    const scores = scoreCategories('We and our advertising partners use cookies and pixels to show you interest-based ads on other sites.');

    expect(scores.sale).toBeGreaterThan(scores.tracking);
    expect(classifyClause('We and our advertising partners use cookies and pixels to show you interest-based ads on other sites.')).toEqual(['sale', 'tracking']);
  });

  it('does not read a contact clause as retention', () => {
    expect(classifyClause('If you have any questions about this Privacy Policy, you can contact us at: info@ImLive.com.')).toEqual(['contact']);
  });

  it('reads a plain cookie clause as tracking, not sale', () => {
    expect(classifyClause('We use cookies to remember your preferences and to understand how visitors use our website.')).toEqual(['tracking']);
  });

  it('does not read the sale of a business as a sale of data', () => {
    const clause = 'Alternatively, we may sell businesses or business units, merge with other entities, obtain financing, and/or sell assets or stock, in some cases, as part of a reorganization or liquidation in bankruptcy.';

    expect(classifyClause(clause)).toEqual(['sharing']);
  });

  it('does not read "minor changes" as children or "retain the right" as retention', () => {
    expect(classifyClause('We may make minor changes to this policy without notice.')).toEqual(['policy-changes']);
    expect(classifyClause('We retain the right to modify the Services at any time.')).toEqual([]);
  });

  it('lets a heading tip a weak clause but never classify on its own', () => {
    expect(classifyClause('You can disable them in your browser settings.')).toEqual([]);
    expect(classifyClause('You can disable them in your browser settings.', ['Cookies'])).toEqual(['tracking']);
    expect(classifyClause('Please read this section carefully.', ['Data Retention'])).toEqual([]);
  });

  it('does not treat a "Business Transfers" heading as international transfers', () => {
    expect(classifyClause('As we continue to grow, we may purchase websites, applications, subsidiaries, or other businesses.', ['Business Transfers'])).toEqual(['sharing']);
  });
});

describe('scoreCategories', () => {
  it('returns a score for every category', () => {
    expect(Object.keys(scoreCategories('Hello.'))).toEqual([...CATEGORIES]);
  });

  it('sums the weights of the cues a clause matches, each cue once', () => {
    const scores = scoreCategories('We keep logs for 30 days. We keep logs for 30 days.');

    // "keep ... for 30 days" (3) + a duration (1) + "logs" (1).
    expect(scores).toEqual({ ...zeroScores(), retention: 5 });
  });

  it('adds the heading weight on top of the text score', () => {
    const withoutHeading = scoreCategories('We keep logs for 30 days.');
    const withHeading = scoreCategories('We keep logs for 30 days.', ['How Long Do We Keep Your Personal Information?']);

    expect(withHeading.retention - withoutHeading.retention).toBe(HEADING_WEIGHT);
  });
});

describe('explainCategories', () => {
  it('names the cue and the words that fired', () => {
    const evidence = explainCategories('We keep logs for 30 days.', ['Retention']);

    expect(evidence.map(({ category, source, weight, match }) => ({ category, source, weight, match }))).toEqual([
      { category: 'retention', source: 'text', weight: 3, match: 'keep logs for 30 days' },
      { category: 'retention', source: 'text', weight: 1, match: '30 days' },
      { category: 'retention', source: 'text', weight: 1, match: 'logs' },
      { category: 'retention', source: 'heading', weight: 1, match: 'retention' },
    ]);
  });
});

describe('category rules', () => {
  it('keep a heading below the threshold on its own', () => {
    expect(HEADING_WEIGHT).toBeLessThan(CATEGORY_THRESHOLD);
  });

  it('give every category cues weighted 1 to 3', () => {
    for (const category of CATEGORIES) {
      expect(CATEGORY_RULES[category].length).toBeGreaterThan(0);
      for (const rule of CATEGORY_RULES[category]) expect([1, 2, 3]).toContain(rule.weight);
    }
  });

  it('match exactly what a full scan matches, on every sentence of the seed policies', () => {
    // The classifier only tries a cue where one of its start words occurs; a start word missing
    // from a rule would silently drop matches. Compare against scanning every cue everywhere.
    const clauses = seedTexts.flatMap((text) => [...text.split(/\n+|(?<=[.!?])\s+/), ...text.split(/\n\s*\n/)]);
    const differences: string[] = [];
    for (const clause of clauses) {
      const prepared = prepareClause(clause);
      const fired = new Set(explainCategories(clause).map((e) => `${e.category} ${e.cue}`));
      for (const category of CATEGORIES) {
        for (const { pattern } of CATEGORY_RULES[category]) {
          if (pattern.test(prepared) !== fired.has(`${category} ${pattern.source}`)) differences.push(`${category}: ${clause.slice(0, 60)}`);
        }
      }
    }

    expect(clauses.length).toBeGreaterThan(1000);
    expect(differences).toEqual([]);
  });
});

function zeroScores(): Record<Category, number> {
  return Object.fromEntries(CATEGORIES.map((category) => [category, 0])) as Record<Category, number>;
}
