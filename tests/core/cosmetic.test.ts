import { describe, expect, it } from 'vitest';
import { cosmeticReason } from '../../functions/core/cosmetic.ts';

describe('cosmeticReason', () => {
  it.each<[string, string, string]>([
    ['We respond within 45 days of its receipt.', 'We respond within forty-five (45) days of its receipt.', 'wording'],
    ['We keep logs for thirty days.', 'We keep logs for 30 days.', 'wording'],
    ['Send us an e-mail at the address below.', 'Send us an email at the address below.', 'wording'],
    ['Terms & Conditions and the Privacy Policy apply.', 'Terms and Conditions and the Privacy Policy apply.', 'wording'],
    ['We take organisational measures and honour your choices.', 'We take organizational measures and honor your choices.', 'wording'],
    ['You may cancel your licence at any time.', 'You may cancel your license at any time.', 'wording'],
    ['Policy last updated May 25, 2018.', 'Policy last updated June 1, 2024.', 'date'],
    ['See https://a.example/privacy for details.', 'See https://b.example/legal/privacy for details.', 'link'],
    // Spelling fixes of short words, and several in one clause (one edit per word).
    ['We will not share thier details.', 'We will not share their details.', 'typo'],
    ['You have the right to acess your data.', 'You have the right to access your data.', 'typo'],
    ['We use the informaton we colect to run the app.', 'We use the information we collect to run the app.', 'typo'],
    ['Absolutly no card numbers are stored.', 'Absolutely no card numbers are stored.', 'typo'],
    ['We guarentee that survelliance recrodings are deleted.', 'We guarantee that surveillance recordings are deleted.', 'typo'],
    // A house-style or grammar pass: contractions, "utilize", "in order to", compounds, a doubled word, -s.
    ['We do not sell your data and will not rent it.', "We don't sell your data and won't rent it.", 'wording'],
    ['We can not see your password.', "We can't see your password.", 'wording'],
    ['We utilize cookies to remember you.', 'We use cookies to remember you.', 'wording'],
    ['In order to provide the service, we collect your name.', 'To provide the service, we collect your name.', 'wording'],
    ['Our web site uses cookies.', 'Our website uses cookies.', 'wording'],
    ['We may share de-identified data.', 'We may share deidentified data.', 'wording'],
    ['We keep the the logs for 30 days.', 'We keep the logs for 30 days.', 'wording'],
    ['The company use your information to send receipts.', 'The company uses your information to send receipts.', 'wording'],
    ['Your data is stored in the United States.', 'Your data is stored in the U.S.', 'wording'],
    ['You can withdraw your consent at any time.', 'You may withdraw your consent at any time.', 'wording'],
    ['Route tracking stops when the walk is ended.', 'Tracking of the route stops once the walk ends.', 'wording'],
    ['We block 95% of fraud attempts, for example card testing.', 'We block 95 percent of fraud attempts, e.g. card testing.', 'wording'],
    ['Call us at 1-800-555-0142 to opt out.', 'Call us at (800) 555-0142 to opt out.', 'link'],
    ['We never sell your personal information.', 'We do not sell your personal information.', 'wording'],
    ['Our suppliers are based outside the UK.', 'Our suppliers are located outside the UK.', 'wording'],
    ['The game is rated for ages 13 and up.', 'The game is rated for ages 13+.', 'wording'],
    ['Residents of the EEA may object.', 'Residents of the European Economic Area (EEA) may object.', 'wording'],
    ['You may complain to the Information Commissioner\'s Office.', 'You may complain to the Information Commissioner\'s Office (ICO).', 'wording'],
    // Items of one list in another order.
    ['We run credit checks with Experian and Equifax.', 'We run credit checks with Equifax and Experian.', 'reorder'],
    ['Sign in with Steam, PlayStation Network, Xbox Live or Nintendo.', 'Sign in with PlayStation Network, Steam, Nintendo or Xbox Live.', 'reorder'],
    ['We may share personal data with law enforcement.', 'We might share personal information with law enforcement.', 'wording'],
    // Links and addresses: bare domains, a URL printed after its text, an address written out.
    ['Visit example.com to change your settings.', 'Visit www.example.com to change your settings.', 'link'],
    ['Change it in your account settings.', 'Change it in your account settings (https://example.com/settings).', 'link'],
    ['Email privacy@example.com to ask.', 'Email privacy [at] example [dot] com to ask.', 'link'],
    ['Send your request to privacy@example.com.', 'Send your request to dpo@example.com.', 'link'],
    // The page's own dates: a copyright year, a revision date.
    ['© 2024 Example AB. All rights reserved.', '© 2025 Example AB. All rights reserved.', 'date'],
    ['This policy was last revised on 3 March 2024.', 'This policy was last revised on 15 January 2025.', 'date'],
  ])('%j → %j is %s', (before, after, reason) => {
    expect(cosmeticReason(before, after)).toBe(reason);
  });

  it.each<[string, string]>([
    ['We keep logs for 30 days.', 'We keep logs for thirty-one days.'],
    ['We keep logs for 45 days.', 'We keep logs for forty (40) days.'],
    ['We keep logs for 30 days and backups for 90 days.', 'We keep logs for 60 days and backups for 90 days.'],
    ['We keep 2024 records.', 'We keep 2025 records.'],
    ['(c) data collected before 2024 is deleted.', '(c) data collected before 2026 is deleted.'],
    ['We do not sell your data.', 'We do sell your data.'],
    ['Children under thirteen may not register.', 'Children under sixteen may not register.'],
    ['We share data with one partner.', 'We share data with 2 partners.'],
    // Real words a letter or two apart are not spelling fixes: places, verbs, frequencies.
    ['Servers are located in Ireland and the United States.', 'Servers are located in Iceland and the United States.'],
    ['Our data centres are in the Netherlands and Austria.', 'Our data centres are in the Netherlands and Australia.'],
    ['We are not sending your purchases to advertisers.', 'We are not selling your purchases to advertisers.'],
    ['Backups are stored with our cloud provider.', 'Backups are shared with our cloud provider.'],
    ['An auditor reviews our controls biannually.', 'An auditor reviews our controls biennially.'],
    ['We process your messages with your consent.', 'We process your messages with your content.'],
    ['We keep nine copies of your files.', 'We keep none copies of your files.'],
    ["We will notify you of changes.", "We won't notify you of changes."],
    ['Acme shares your data with Beta.', 'Beta shares your data with Acme.'],
    ['Partners share data with us.', 'We share data with partners.'],
    ['We will not sell your data.', 'We will sell your data.'],
    ['Data is deleted after 30 days.', 'Data is deleted after 60 days.'],
    ['We share data with Experian and Equifax.', 'We share data with Experian or Equifax.'],
    // A date inside a commitment is part of it; only the page's own dates are cosmetic.
    ['Your data will be permanently deleted on June 30, 2026.', 'Your data will be permanently deleted on December 31, 2030.'],
    ['Conversations from before June 1, 2025 are never used for training.', 'Conversations from before June 1, 2023 are never used for training.'],
    ['Templates made by the previous version of the app will be deleted by December 31, 2025.', 'Templates made by the previous version of the app will be deleted by December 31, 2027.'],
  ])('%j → %j changes meaning', (before, after) => {
    expect(cosmeticReason(before, after)).toBeUndefined();
  });
});
