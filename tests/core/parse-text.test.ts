// Plain-text parsing: what a reader sees must survive re-extraction, re-wrapping and indentation.
import { describe, expect, it } from 'vitest';
import { diffPolicyTexts, readPolicy } from '../../functions/core/engine.ts';
import { parsePlainText } from '../../functions/core/parse-text.ts';

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
