import { describe, expect, it } from 'vitest';
import { describeObligation, diffObligations, extractFacts, type DurationFact } from '../../functions/core/obligations.ts';
import { policyOwnNames } from '../../functions/core/third-parties.ts';
import type { Obligation } from '../../functions/core/types.ts';

describe('extractFacts', () => {
  describe('retention periods and response deadlines', () => {
    it.each<[string, DurationFact[], DurationFact[]]>([
      ['We keep logs for 30 days.', [{ iso: 'P30D', text: '30 days' }], []],
      ['We keep logs for thirty (30) days and backups for twelve (12) months.', [{ iso: 'P30D', text: '30 days' }, { iso: 'P12M', text: '12 months' }], []],
      ['We retain server logs for 9 months and anonymize them after 18 months.', [{ iso: 'P9M', text: '9 months' }, { iso: 'P18M', text: '18 months' }], []],
      ['Personal data is stored for six (6) weeks, then deleted.', [{ iso: 'P6W', text: '6 weeks' }], []],
      ['Access logs are kept for 24 hours.', [{ iso: 'PT24H', text: '24 hours' }], []],
      ['We keep your account data for one year after you close your account.', [{ iso: 'P1Y', text: '1 year' }], []],
      ['And the retention periods of alarm messages, alarm snapshots and IP addresses in API logs are just 7 days.', [{ iso: 'P7D', text: '7 days' }], []],
      ['We will respond to all legitimate requests within one month.', [], [{ iso: 'P1M', text: '1 month' }]],
      ['We endeavor to respond to a verifiable Consumer request within 45 days of its receipt, or as otherwise required by the CCPA.', [], [{ iso: 'P45D', text: '45 days' }]],
      ['We will respond to your request within thirty (30) days.', [], [{ iso: 'P30D', text: '30 days' }]],
      ['It make take up to 10 business days for unsubscribe requests to fully process.', [], [{ iso: 'P10D', text: '10 business days' }]],
      ['We retain logs for 90 days and respond to access requests within 30 days.', [{ iso: 'P90D', text: '90 days' }], [{ iso: 'P30D', text: '30 days' }]],
    ])('reads %j', (text, retention, deadlines) => {
      const facts = extractFacts(text);

      expect(facts.retentionPeriods).toEqual(retention);
      expect(facts.responseDeadlines).toEqual(deadlines);
    });

    it.each<[string, DurationFact]>([
      ['Your personal data will be retained for as long as required for the purposes described in this Privacy Policy.', { iso: 'as-long-as-necessary', text: 'as long as required' }],
      ['We will retain your personal data for no longer than is necessary for the purposes stated in this Policy.', { iso: 'as-long-as-necessary', text: 'no longer than is necessary' }],
      ['We store your profile as long as your account is active.', { iso: 'account-lifetime', text: 'as long as your account is active' }],
      ['IMVBox will keep your Personal Information for as long as We have a relationship with you.', { iso: 'account-lifetime', text: 'as long as we have a relationship with you' }],
      ['We may retain aggregated data indefinitely.', { iso: 'indefinite', text: 'indefinitely' }],
    ])('reads an open-ended retention period in %j', (text, period) => {
      expect(extractFacts(text).retentionPeriods).toEqual([period]);
    });

    it.each([
      'Within the last twelve (12) months, IMVU has collected the following categories of personal information from or about Consumers.',
      'You may only make a verifiable Consumer request for access or data portability twice within a 12-month period.',
      'In cases of scamming, your data will be shared with the victims 14 days after notification, for legal obligations.',
      'We will permanently delete your data when you close your account.',
      'You must be at least 13 years old to register.',
    ])('finds no period in %j', (text) => {
      const facts = extractFacts(text);

      expect([...facts.retentionPeriods, ...facts.responseDeadlines]).toEqual([]);
    });
  });

  describe('age thresholds', () => {
    it.each<[string, number[]]>([
      ['Our Services are not intended for children under the age of 13.', [13]],
      ['If you are under 16, you may not use the Services.', [16]],
      ['You must be younger than 18 to join the teen program.', [18]],
      ['You must be at least 13 years old to use Facebook.', [13]],
      ['If you are between the ages of 13 and 16 and reside in the EEA, we will obtain your parent’s verifiable consent.', [13, 16]],
      ['Users aged 13 to 16 need parental consent.', [13, 16]],
      ['We operate in over 50 countries and keep backups for over 30 days.', []],
    ])('reads %j', (text, ages) => {
      expect(extractFacts(text).ageThresholds).toEqual(ages);
    });
  });

  describe('third parties', () => {
    it.each<[string, string[]]>([
      ['We send our transactional emails (emails involving account updates and resets) via Sparkpost.', ['SparkPost']],
      ['The IMVU Mafias utilizes Cloudflare for DDOS protection, firewall, and security.', ['Cloudflare', 'IMVU Mafias']],
      ['Payments are processed by Stripe, Inc. and PayPal.', ['PayPal', 'Stripe']],
      ['We use Google Analytics and Acme Analytics to understand how the site is used.', ['Acme Analytics', 'Google Analytics']],
      ['We may share your information with our payment processors, such as Stripe and Adyen.', ['Adyen', 'Stripe']],
      ['Your data is hosted by Amazon Web Services in Ireland.', ['Amazon Web Services']],
      ['You may log in by using a third-party platform sign-in such as Apple Sign-in or Facebook Connect.', ['Apple Sign-in', 'Facebook', 'Facebook Connect']],
      ['The IMVU Mafias utilizes google analytics for search engine optimization.', ['Google Analytics', 'IMVU Mafias']],
      ['Please read our Privacy Policy and Terms of Service.', []],
      ['We share personal information with External Ad Partners and Offerwall Providers.', []],
      ['If you are a California resident located in the United States, this section applies to you.', []],
      ['Why We Collect Your Personal Information and How We Use It', []],
      ['When you use Live View function which provides you a real-time video display', []],
    ])('reads %j', (text, parties) => {
      expect(extractFacts(text).thirdParties).toEqual(parties);
    });
  });

  describe('rights', () => {
    it.each<[string, string[]]>([
      ['You have the right to request that IMVU delete any of your personal information that we collected from you.', ['deletion']],
      ['The right to erasure (also known as the ‘right to be forgotten’) – under certain circumstances, you may ask us to delete the Personal Data we have about you.', ['deletion']],
      ['You can also opt out of further direct marketing emails by clicking on the link at the end of each email.', ['opt-out']],
      ['California residents have the right to opt out of the sale of their personal information.', ['opt-out']],
      ['If we process your personal data based on consent, you may withdraw your consent at any time.', ['withdraw-consent']],
      ['Finally, you have the right to make a complaint at any time to the supervisory authority in your country of residence.', ['complaint']],
      ['You always have the right to inspect the data that we process or have processed that relate to your person.', ['access']],
      ['Request erasure of your personal data.', ['deletion']],
      ['You may request that we delete your data, and we will not discriminate against you for doing so.', ['deletion', 'non-discrimination']],
      ['If we deny your request, you may appeal our decision.', ['appeal']],
      [
        'You may have certain rights, including the right to access your Personal Information; to rectify the information We hold about you; to erase your Personal Information; to restrict our use of your Personal Information; to object to our use of your Personal Information; and to receive your Personal Information in a usable electronic format (right to data portability).',
        ['access', 'deletion', 'correction', 'portability', 'objection', 'restriction'],
      ],
      ['You may not opt out of service emails.', []],
      ['You will not have to pay a fee to access your personal data.', []],
      ['We will delete your data after 30 days.', []],
    ])('reads %j', (text, rights) => {
      expect(extractFacts(text).rights).toEqual(rights);
    });
  });

  describe('transfer countries', () => {
    it.each<[string, string[]]>([
      ['We are located in the United States, and the personal information that we collect is stored on servers located in the United States.', ['United States']],
      ['Currently, Huacheng has data centers in the United States, Germany and Singapore.', ['Germany', 'Singapore', 'United States']],
      ['The datacenter where we rent space is located within Northern Europe.', ['Northern Europe']],
      ['We may transfer your personal data from the EEA to China.', ['China']],
      ['We may transfer your data outside the EEA to our service providers in India.', ['India']],
      ['We transfer personal data to the US under the EU-U.S. Data Privacy Framework.', ['United States']],
      ['If you are located in the EEA, this entire Privacy Notice applies to you.', []],
      ['The supervisory authority in the UK is the Information Commissioner’s Office.', []],
      // Any country, not only a hand-picked list; "New Jersey" is no country; initials do not end a sentence.
      ['Backup servers are located offshore in Panama with identical security.', ['Panama']],
      ['Our offices are in New Jersey; your data is stored in Kazakhstan.', ['Kazakhstan']],
      ['We have data centers in the United States, Germany, Singapore and the P.R. China.', ['China', 'Germany', 'Singapore', 'United States']],
    ])('reads %j', (text, countries) => {
      expect(extractFacts(text).transferCountries).toEqual(countries);
    });
  });
});

describe('diffObligations', () => {
  it('reports a raised upper age bound of a range as that bound, 16 → 18', () => {
    expect(diffObligations('If you are between the ages of 13 and 16 and reside in the EEA, we need parental consent.', 'If you are between the ages of 13 and 18 and reside in the EEA, we need parental consent.')).toEqual([
      { type: 'age-threshold', before: 16, after: 18 },
    ]);
  });

  it('names a removed right to stop direct-marketing use as an opt-out', () => {
    expect(
      diffObligations(
        'You can also exercise your right to data correction as well as your right to stop to the use of your personal data for direct marketing purposes.',
        'You can also exercise your right to data correction.',
      ),
    ).toEqual([{ type: 'right', added: [], removed: ['opt-out'] }]);
  });

  it('reports a changed retention period with its wording', () => {
    expect(diffObligations('We keep logs for 30 days.', 'We keep logs for 12 months.')).toEqual([
      { type: 'retention-period', before: 'P30D', after: 'P12M', beforeText: '30 days', afterText: '12 months' },
    ]);
  });

  it('ignores a period reworded to the same length', () => {
    expect(diffObligations('We keep logs for 1 year.', 'We keep logs for twelve (12) months.')).toEqual([]);
    expect(diffObligations('We keep logs for 1 week.', 'We keep logs for 7 days.')).toEqual([]);
    expect(diffObligations('We keep logs for thirty (30) days.', 'Logs are kept for 30 days.')).toEqual([]);
  });

  it('reports calendar days becoming business days', () => {
    expect(diffObligations('We keep logs for 10 days.', 'We keep logs for 10 business days.')).toEqual([
      { type: 'retention-period', before: 'P10D', after: 'P10D', beforeText: '10 days', afterText: '10 business days' },
    ]);
  });

  it('reports a changed response deadline', () => {
    expect(diffObligations('We endeavor to respond within 45 days.', 'We endeavor to respond within 30 days.')).toEqual([
      { type: 'response-deadline', before: 'P45D', after: 'P30D', beforeText: '45 days', afterText: '30 days' },
    ]);
  });

  it('pairs several periods by position, one delta per changed pair', () => {
    expect(diffObligations('We keep logs for 30 days and backups for 90 days.', 'We keep logs for 60 days and backups for 180 days.')).toEqual([
      { type: 'retention-period', before: 'P30D', after: 'P60D', beforeText: '30 days', afterText: '60 days' },
      { type: 'retention-period', before: 'P90D', after: 'P180D', beforeText: '90 days', afterText: '180 days' },
    ]);
  });

  it('lets unchanged periods cancel out around an inserted one', () => {
    expect(diffObligations('We keep logs for 30 days and backups for 90 days.', 'We keep drafts for 7 days, logs for 30 days and backups for 90 days.')).toEqual([
      { type: 'retention-period', before: null, after: 'P7D', afterText: '7 days' },
    ]);
  });

  it('reports an open-ended period replaced by a duration', () => {
    expect(diffObligations('We keep your data as long as your account is active.', 'We keep your data for 2 years after account closure.')).toEqual([
      { type: 'retention-period', before: 'account-lifetime', after: 'P2Y', beforeText: 'as long as your account is active', afterText: '2 years' },
    ]);
  });

  it('reports a changed age threshold, and one that disappears', () => {
    expect(diffObligations('Not intended for children under 13.', 'Not intended for children under 16.')).toEqual([{ type: 'age-threshold', before: 13, after: 16 }]);
    expect(diffObligations('Our service is not directed to children under 13.', 'Our service is not directed to anyone.')).toEqual([{ type: 'age-threshold', before: 13, after: null }]);
  });

  it('reports added and removed third parties, rights and countries', () => {
    expect(diffObligations('We use Mixpanel for analytics.', 'We use Acme Analytics for analytics.')).toEqual([{ type: 'third-party', added: ['Acme Analytics'], removed: ['Mixpanel'] }]);
    expect(diffObligations('You have the right to request deletion of your data and to opt out.', 'You have the right to opt out.')).toEqual([{ type: 'right', added: [], removed: ['deletion'] }]);
    expect(diffObligations('Your data is stored on servers in the United States.', 'Your data is stored on servers in the United States and China.')).toEqual([
      { type: 'transfer-country', added: ['China'], removed: [] },
    ]);
  });

  it('treats a missing side as a clause stating nothing', () => {
    expect(diffObligations(null, null)).toEqual([]);
    expect(diffObligations(null, 'We keep logs for 30 days.')).toEqual([{ type: 'retention-period', before: null, after: 'P30D', afterText: '30 days' }]);
    expect(diffObligations('We use Mixpanel.', null)).toEqual([{ type: 'third-party', added: [], removed: ['Mixpanel'] }]);
  });

  it('reports nothing for a rewording that keeps every fact', () => {
    expect(diffObligations('We use Google Analytics and keep logs for 30 days.', 'We rely on Google Analytics, and we keep logs for thirty (30) days.')).toEqual([]);
  });
});

describe('describeObligation', () => {
  it.each<[Obligation, string]>([
    [{ type: 'retention-period', before: 'P30D', after: 'P12M', beforeText: '30 days', afterText: '12 months' }, 'Data retention: 30 days → 12 months'],
    [{ type: 'retention-period', before: null, after: 'P30D', afterText: '30 days' }, 'Data retention: not stated → 30 days'],
    [{ type: 'retention-period', before: 'P1Y', after: 'as-long-as-necessary' }, 'Data retention: 1 year → as long as necessary'],
    [{ type: 'response-deadline', before: 'P45D', after: 'P30D', beforeText: '45 days', afterText: '30 days' }, 'Response deadline: 45 days → 30 days'],
    [{ type: 'response-deadline', before: 'PT72H', after: null }, 'Response deadline: 72 hours → not stated'],
    [{ type: 'age-threshold', before: 13, after: 16 }, "Children's age threshold: 13 → 16"],
    [{ type: 'age-threshold', before: 13, after: null }, "Children's age threshold: 13 → not stated"],
    [{ type: 'third-party', added: ['Acme Analytics'], removed: [] }, 'Third parties added: Acme Analytics'],
    [{ type: 'third-party', added: ['Acme Analytics', 'Stripe'], removed: ['Mixpanel'] }, 'Third parties added: Acme Analytics, Stripe; removed: Mixpanel'],
    [{ type: 'right', added: [], removed: ['deletion'] }, 'Rights removed: deletion'],
    [{ type: 'right', added: ['withdraw-consent'], removed: [] }, 'Rights added: withdraw consent'],
    [{ type: 'transfer-country', added: ['China'], removed: [] }, 'Transfer countries added: China'],
  ])('describes %j', (obligation, line) => {
    expect(describeObligation(obligation)).toBe(line);
  });
});

// Wordings red-team probes found misread or missed, written the way real policies put them.
describe('durations written in words, fractions and larger units', () => {
  it.each<[string, DurationFact[]]>([
    ['Deleted workspaces are erased within one hundred and eighty days.', [{ iso: 'P180D', text: '180 days' }]],
    ['Invoices are kept for two hundred days.', [{ iso: 'P200D', text: '200 days' }]],
    ['Invoices are kept for a hundred days.', [{ iso: 'P100D', text: '100 days' }]],
    ['Billing records are retained for a decade.', [{ iso: 'P10Y', text: '10 years' }]],
    ['Support emails are kept for 1.5 years.', [{ iso: 'P18M', text: '18 months' }]],
    ['Support emails are kept for one and a half years.', [{ iso: 'P18M', text: '18 months' }]],
    ['Chat transcripts are stored for 18 mos. after the chat ends.', [{ iso: 'P18M', text: '18 months' }]],
  ])('reads %j', (text, periods) => {
    expect(extractFacts(text).retentionPeriods).toEqual(periods);
  });

  it('reads "two further months" as a second deadline', () => {
    expect(extractFacts('We will reply within one month, which we may extend by two further months if your request is complex.').responseDeadlines).toEqual([
      { iso: 'P1M', text: '1 month' },
      { iso: 'P2M', text: '2 months' },
    ]);
  });

  it('reports 35 days becoming one hundred and eighty, not eighty', () => {
    expect(diffObligations('We delete it within thirty-five (35) days.', 'We delete it within one hundred and eighty days.')).toEqual([
      { type: 'retention-period', before: 'P35D', after: 'P180D', beforeText: '35 days', afterText: '180 days' },
    ]);
    expect(diffObligations('Billing records are kept for 7 years.', 'Billing records are kept for a decade.')).toEqual([
      { type: 'retention-period', before: 'P7Y', after: 'P10Y', beforeText: '7 years', afterText: '10 years' },
    ]);
  });
});

describe('response deadlines in other wordings', () => {
  it.each<[string, DurationFact[]]>([
    ['We will get back to you within 45 days of receiving your request.', [{ iso: 'P45D', text: '45 days' }]],
    ['We aim to deal with your request within 45 days of receiving it.', [{ iso: 'P45D', text: '45 days' }]],
    ['We aim to get back to you within one month.', [{ iso: 'P1M', text: '1 month' }]],
    ['We will handle your privacy request within 30 days.', [{ iso: 'P30D', text: '30 days' }]],
    ['Occasionally, it may take us up to three months if your request is particularly complex.', [{ iso: 'P3M', text: '3 months' }]],
    ['If we require more time (up to 90 days), we will inform you of the reason and extension period in writing.', [{ iso: 'P90D', text: '90 days' }]],
    ['We may extend this period by two further months where necessary.', [{ iso: 'P2M', text: '2 months' }]],
  ])('reads %j', (text, deadlines) => {
    const facts = extractFacts(text);

    expect(facts.responseDeadlines).toEqual(deadlines);
    expect(facts.retentionPeriods).toEqual([]);
  });

  it('keeps a retention period whose sentence mentions an extension a retention period', () => {
    expect(extractFacts('We may extend the retention period for backups to 2 years.').retentionPeriods).toEqual([{ iso: 'P2Y', text: '2 years' }]);
  });

  it('reports "respond within 30 days" → "get back to you within 45 days" as 30 → 45 days, not as a dropped deadline', () => {
    expect(diffObligations('We will respond to your request within 30 days.', 'We will get back to you within 45 days of receiving your request.')).toEqual([
      { type: 'response-deadline', before: 'P30D', after: 'P45D', beforeText: '30 days', afterText: '45 days' },
    ]);
  });
});

describe('retention periods in other wordings', () => {
  it.each<[string, DurationFact[]]>([
    ['Inactive free workspaces are automatically removed after 12 months without activity.', [{ iso: 'P12M', text: '12 months' }]],
    ['Crash reports and diagnostic data remain on our analytics servers for 2 years.', [{ iso: 'P2Y', text: '2 years' }]],
    ['We keep your email address until you unsubscribe.', [{ iso: 'until-withdrawn', text: 'until you unsubscribe' }]],
    ['Consent records are kept until you withdraw your consent.', [{ iso: 'until-withdrawn', text: 'until you withdraw your consent' }]],
  ])('reads %j', (text, periods) => {
    expect(extractFacts(text).retentionPeriods).toEqual(periods);
  });

  it('reads an open-ended period alone in a retention table row', () => {
    const row = (text: string): DurationFact[] => extractFacts(text, { inRetentionSection: true }).retentionPeriods;

    expect(row('Marketing preferences | Indefinitely')).toEqual([{ iso: 'indefinite', text: 'indefinitely' }]);
    expect(row('Marketing preferences | Until you unsubscribe')).toEqual([{ iso: 'until-withdrawn', text: 'until you unsubscribe' }]);
    expect(row('Billing records | a decade')).toEqual([{ iso: 'P10Y', text: '10 years' }]);
  });

  it('reports "until you unsubscribe" → "indefinitely" in a retention table', () => {
    expect(diffObligations('Marketing preferences | Until you unsubscribe', 'Marketing preferences | Indefinitely', { inRetentionSection: true })).toEqual([
      { type: 'retention-period', before: 'until-withdrawn', after: 'indefinite', beforeText: 'until you unsubscribe', afterText: 'indefinitely' },
    ]);
  });

  it('describes a period that lasts until the user withdraws', () => {
    expect(describeObligation({ type: 'retention-period', before: 'P1Y', after: 'until-withdrawn' })).toBe('Data retention: 1 year → until consent is withdrawn');
  });
});

describe('transfer countries in other wordings', () => {
  it.each<[string, string[]]>([
    ['Our customer service team, which can access your order details, is based in the Philippines.', ['Philippines']],
    ['Our support team is located in Canada and India.', ['Canada', 'India']],
    ['Our contact centre handles customer service from Portugal, Morocco and Egypt.', ['Egypt', 'Morocco', 'Portugal']],
    ['Some of our partners process data in the United States and India.', ['India', 'United States']],
    ['Some of our partners process data in the United States; in those cases we use the EU Standard Contractual Clauses.', ['United States']],
    ['We process data of UK residents under the UK GDPR and store it in Ireland.', ['Ireland']],
    ['Your data may be accessed by our support contractors in Colombia.', ['Colombia']],
    ['Intercom, Inc. – in-app support chat (United States)', ['United States']],
    ['Hosting: Amazon Web Services (Ireland and Germany)', ['Germany', 'Ireland']],
    // A person's location, an origin, a parenthesis with no organisation: no transfer.
    ['If you are based in the EEA, you have the rights below.', []],
    ['Streamly is based in Sweden.', []],
    ['Users located in Brazil have additional rights under the LGPD.', []],
    ['Click the Cookie Settings link if you are located in the European Economic Area ("EEA").', []],
    ['We may transfer your data from Germany to our servers.', []],
    ['Our founders started the company in a garage (Sweden).', []],
  ])('reads %j', (text, countries) => {
    expect(extractFacts(text).transferCountries).toEqual(countries);
  });

  it('reports a processor location in parentheses that changed', () => {
    expect(diffObligations('Intercom, Inc. – in-app support chat (Ireland)', 'Intercom, Inc. – in-app support chat (United States)')).toEqual([
      { type: 'transfer-country', added: ['United States'], removed: ['Ireland'] },
    ]);
  });
});

describe('third parties: names that open a clause, and capitalised words that are not recipients', () => {
  it.each<[string, string[]]>([
    ['Datadog – infrastructure monitoring and log management (United States)', ['Datadog']],
    ['- Sendbird: in-app chat', []], // a colon after one word is as often a label ("Email: …") as a name
    ['Iterable sends our push notifications and in-app messages.', ['Iterable']],
    ['Veriff verifies your identity on our behalf.', ['Veriff']],
    ['We show ads through networks such as Unity Ads, AppLovin and Meta Platforms, Inc.', ['AppLovin', 'Meta Platforms', 'Unity Ads']],
    ['Everyone receives our newsletter once a month.', []],
    ['Retention – how long we keep your data', []],
  ])('reads %j', (text, parties) => {
    expect(extractFacts(text).thirdParties).toEqual(parties);
  });

  it.each([
    'Data is encrypted in transit using TLS 1.2 and at rest using AES-256.',
    'We hash passwords with SHA-256 and are certified to ISO 27001.',
    'Use the Do Not Sell or Share My Personal Information link to opt out.',
    'Questions about this notice can be sent to our Privacy Team.',
    'If you are unhappy with how we have handled your data, you can contact the Information Commissioner’s Office (ICO).',
    'You can also complain to the Federal Trade Commission or your state Attorney General.',
    'You may lodge a complaint with the CNIL or the Data Protection Commission.',
    'Voice commands spoken to your Nestwise Hub, which we use to build a voice profile for each household member so the Hub can tell who is speaking',
    'If you turn on Voice Match, Quill uses speaker recognition to tell your voice apart from other people in the room.',
    'If you keep using Ledgerly, you accept the updated notice.',
  ])('finds no third party in %j', (text) => {
    expect(extractFacts(text).thirdParties).toEqual([]);
  });

  it('keeps a street address change in a contact block quiet', () => {
    const contact = (address: string): string => `If you have questions, contact our Data Protection Officer at dpo@streamly.com or write to Streamly AB, ${address}, Sweden.`;

    expect(diffObligations(contact('Regeringsgatan 19, 111 53 Stockholm'), contact('Birger Jarlsgatan 61, 113 56 Stockholm'))).toEqual([]);
    expect(diffObligations(contact('500 Market Street, Suite 300, San Francisco, CA 94105'), contact('1 Finsbury Square, London EC2A 1AE'))).toEqual([]);
  });

  it('keeps a product with a version number, and leaves out a copyright line', () => {
    expect(extractFacts('We use Dynamics 365 for sales and Acme Mailer 2 for newsletters.').thirdParties).toEqual(['Acme Mailer', 'Dynamics']);
    expect(extractFacts('© 2024 CodeHub Inc. All rights reserved.').thirdParties).toEqual([]);
  });

  it('reads the company, not its street or town, in a postal address', () => {
    expect(extractFacts('Questions about this policy can be sent to privacy@flowdesk.io or Flowdesk, Inc., 500 Market Street, San Francisco, CA 94105.').thirdParties).toEqual(['Flowdesk']);
  });

    it('reports a swapped identity-check provider that opens the sentence', () => {
    expect(diffObligations('Onfido verifies your identity on our behalf.', 'Veriff verifies your identity on our behalf.')).toEqual([{ type: 'third-party', added: ['Veriff'], removed: ['Onfido'] }]);
  });

  it('reports a removed regulator sentence as a removed complaint right, not a removed third party', () => {
    expect(diffObligations('If you are unhappy, you can contact the Information Commissioner’s Office (ICO).', null)).toEqual([{ type: 'right', added: [], removed: ['complaint'] }]);
  });
});

describe('rights stated without "you may"', () => {
  it.each<[string, string[]]>([
    ['Data portability', ['portability']],
    ['- Erasure of your data', ['deletion']],
    ['3. Right of access', ['access']],
    ['Rectification – ask us to fix inaccurate data', ['correction']],
    ['We will delete your data upon request, unless we must keep it by law.', ['deletion']],
    ['We will correct inaccurate information if you ask us to.', ['correction']],
    ['If you are unhappy with how we have handled your data, you can contact the Information Commissioner’s Office (ICO).', ['complaint']],
    // A practice, a negated promise, a document sent on request: no right.
    ['Deletion of inactive accounts after 12 months', []],
    ['Access logs', []],
    ['We will not delete your data upon request while a dispute is open.', []],
    ['We will provide a copy of the Standard Contractual Clauses upon request.', []],
  ])('reads %j', (text, rights) => {
    expect(extractFacts(text).rights).toEqual(rights);
  });

  it('reports a right removed from a bare rights list', () => {
    expect(diffObligations('Data portability', null)).toEqual([{ type: 'right', added: [], removed: ['portability'] }]);
  });
});

describe('the policy owner and its products', () => {
  it('leaves out names the caller knows are the owner’s, and the owner’s products', () => {
    const text = 'Transcripts are processed by Quill and shared with Deepgram, Inc. and the Quill Cloud team.';

    expect(extractFacts(text).thirdParties).toEqual(['Deepgram', 'Quill', 'Quill Cloud']);
    expect(extractFacts(text, { ownNames: ['Quill'] }).thirdParties).toEqual(['Deepgram']);
  });

  it.each(['If you are unhappy, you can contact the Garante.', 'You may write to the CNIL.'])('reads a complaint to a regulator named in %j', (text) => {
    expect(extractFacts(text).rights).toEqual(['complaint']);
  });

  it('reads a processor after a "(c)" list marker, which is no copyright sign', () => {
    expect(extractFacts('(c) Stripe, Inc. processes card payments.').thirdParties).toEqual(['Stripe']);
  });

  it('does not report the owner added in one clause when the caller knows it', () => {
    expect(diffObligations(null, 'We share your data with Streamly AB and Spotify AB.', { ownNames: ['Streamly AB', 'Streamly'] })).toEqual([
      { type: 'third-party', added: ['Spotify AB'], removed: [] },
    ]);
  });

  it.each<[string | undefined, string, string[]]>([
    ['IMVU Privacy Notice', 'We collect information.', ['IMVU']],
    ['Quill AI Privacy Policy', 'We collect information.', ['Quill', 'Quill AI']],
    ['Untitled policy', 'We collect information.', []],
    ['Privacy Policy - Live Video Chat at ImLive', 'We collect information.', ['ImLive', 'Live Video Chat']],
    ['Privacy Policy', 'Streamly AB ("Streamly", "we", "us") runs the service.\n\n© 2024 Streamly AB. All rights reserved.', ['Streamly', 'Streamly AB']],
    ['Privacy Policy', 'Copyright © 2019-2024 Pinbook, Inc. All rights reserved.', ['Pinbook']],
    [undefined, 'This notice explains how Ledgerly Ltd (“Ledgerly”, “we”) uses your data.', ['Ledgerly']],
    // "(c)" opening a list item is its marker, not a copyright sign: Stripe is a processor.
    [undefined, 'Acme Ltd ("Acme", "we") runs the app. We use these processors:\n(a) Amazon Web Services, Inc. hosts our servers.\n(c) Stripe, Inc. processes card payments.', ['Acme']],
  ])('finds the owner of %j', (title, text, names) => {
    expect(policyOwnNames(title, text)).toEqual(names);
  });
});

describe('age thresholds stated as an eligibility rule', () => {
  it.each<[string, number[]]>([
    ['You must be at least 18 to use BudgetBee.', [18]],
    ['You must be 16 or over to open an account.', [16]],
    ['You need to be at least 13 to create an account.', [13]],
    ['We need at least 10 to use the feature in your region.', []],
  ])('reads %j', (text, ages) => {
    expect(extractFacts(text).ageThresholds).toEqual(ages);
  });

  it('reports the minimum age lowered from 18 to 16', () => {
    expect(diffObligations('You must be at least 18 to use BudgetBee.', 'You must be at least 16 to use BudgetBee.')).toEqual([{ type: 'age-threshold', before: 18, after: 16 }]);
  });
});
