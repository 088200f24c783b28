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
  ])('%j → %j is %s', (before, after, reason) => {
    expect(cosmeticReason(before, after)).toBe(reason);
  });

  it.each<[string, string]>([
    ['We keep logs for 30 days.', 'We keep logs for thirty-one days.'],
    ['We keep logs for 45 days.', 'We keep logs for forty (40) days.'],
    ['We do not sell your data.', 'We do sell your data.'],
    ['Children under thirteen may not register.', 'Children under sixteen may not register.'],
    ['We share data with one partner.', 'We share data with 2 partners.'],
  ])('%j → %j changes meaning', (before, after) => {
    expect(cosmeticReason(before, after)).toBeUndefined();
  });
});
