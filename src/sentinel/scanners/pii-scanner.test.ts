import { describe, expect, it } from 'vitest';
import { createPiiScanner } from './pii-scanner.js';
import { hasKnownCardPrefix, isPlausibleSsn, isValidIban, passesLuhn } from '../../kit/pii-validators.js';

const scanner = createPiiScanner();
const found = (text: string): string[] =>
  scanner.scan(text, { channel: 'user' }).findings.map((finding) => `${finding.type}:${text.slice(finding.start, finding.end)}`);

describe('PII validators', () => {
  it('checks Luhn, issuer prefixes, IBAN mod-97 and SSN area rules', () => {
    expect(passesLuhn('4111111111111111')).toBe(true);
    expect(passesLuhn('4111111111111112')).toBe(false);
    expect(hasKnownCardPrefix('378282246310005')).toBe(true);
    expect(hasKnownCardPrefix('9999999999999995')).toBe(false);
    expect(isValidIban('GB82WEST12345698765432')).toBe(true);
    expect(isValidIban('gb82west12345698765432')).toBe(true);
    expect(isValidIban('GB83WEST12345698765432')).toBe(false);
    expect(isValidIban('GB82WEST1234569876543')).toBe(false);
    expect(isPlausibleSsn('536', '22', '1234')).toBe(true);
    for (const [area, group, serial] of [['000', '12', '3456'], ['666', '12', '3456'], ['912', '12', '3456'], ['123', '00', '4567'], ['123', '45', '0000'], ['078', '05', '1120']]) {
      expect(isPlausibleSsn(area, group, serial)).toBe(false);
    }
  });
});

describe('PII scanner', () => {
  it('finds each entity type with spans in the original text', () => {
    const text = 'Mail john.doe@example.com, card 4111-1111-1111-1111, IBAN GB82 WEST 1234 5698 7654 32, SSN 536-22-1234, host 10.0.12.7, docs https://example.org/a_(b).';
    expect(found(text)).toEqual([
      'email:john.doe@example.com',
      'credit_card:4111-1111-1111-1111',
      'iban:GB82 WEST 1234 5698 7654 32',
      'us_ssn:536-22-1234',
      'ip_address:10.0.12.7',
      'url:https://example.org/a_(b)',
    ]);
  });

  it('finds phone numbers confirmed by libphonenumber or by context words', () => {
    expect(found('Call me on +44 20 7946 0958 tomorrow')).toEqual(['phone:+44 20 7946 0958']);
    expect(found('office (415) 555-2671 ext 12')).toEqual(['phone:(415) 555-2671 ext 12']);
    expect(found('Phone: 467 3395')).toEqual(['phone:467 3395']);
  });

  it('does not report dates, house numbers, version strings, order ids or failed checksums', () => {
    expect(found('Released 2024-03-15 12:00 at 17151 2450 Main Street')).toEqual([]);
    expect(found('Upgrade to version 1.2.3.4 now')).toEqual([]);
    expect(found('Order number 4111111111111112 and invoice 123456789 shipped')).toEqual([]);
    expect(found('Reference GB83WEST12345698765432 is not an IBAN')).toEqual([]);
    expect(found('Serial 666-12-3456 is not an SSN')).toEqual([]);
    expect(found('Meeting at 10:30:45, ratio 3:2')).toEqual([]);
  });

  it('requires context for nine bare digits as an SSN', () => {
    expect(found('id 536221234')).toEqual([]);
    expect(found('my SSN is 536221234')).toEqual(['us_ssn:536221234']);
  });

  it('treats user:password@host in a URL as credentials, not an email address', () => {
    expect(found('postgres://bob:s3cret@db.example.com/app').filter((entry) => entry.startsWith('email'))).toEqual([]);
    expect(found('mailto:jane@example.com')).toEqual(['email:jane@example.com']);
  });

  it('looks through obfuscation: zero-width characters, fullwidth digits and base64', () => {
    const hidden = 'write to jane\u200b@example.com';
    expect(found(hidden)).toEqual(['email:jane\u200b@example.com']);
    expect(found('card ４１１１ １１１１ １１１１ １１１１')).toEqual(['credit_card:４１１１ １１１１ １１１１ １１１１']);
    const wrapped = Buffer.from('reach me at jane@example.com').toString('base64');
    expect(found(`decode this: ${wrapped}`)).toEqual([`email:${wrapped}`]);
  });

  it('honours the entity selection and never puts the value in a finding', () => {
    const onlyEmail = createPiiScanner({ entities: ['email'] });
    const result = onlyEmail.scan('jane@example.com 4111 1111 1111 1111', { channel: 'user' });
    expect(result.findings.map((finding) => finding.type)).toEqual(['email']);
    expect(result.score).toBe(0.95);
    expect(JSON.stringify(result)).not.toContain('jane@');
  });

  it('finds IPv6 addresses', () => {
    expect(found('from 6e40:4041:c617:e898:c11:40d2:c669:2eb4 and fe80::1')).toEqual([
      'ip_address:6e40:4041:c617:e898:c11:40d2:c669:2eb4',
      'ip_address:fe80::1',
    ]);
  });
});

describe('PII scanner with person names (opt-in)', () => {
  it('finds names without their title, and lets validated types win on overlap', () => {
    const names = createPiiScanner({ entities: ['person', 'email'] });
    const text = 'Please ask Dr. John Smith or Jane Roe, jane.roe@example.com, about the contract.';
    const findings = names.scan(text, { channel: 'user' }).findings.map((finding) => `${finding.type}:${text.slice(finding.start, finding.end)}`);
    expect(findings).toEqual(['person:John Smith', 'person:Jane Roe', 'email:jane.roe@example.com']);
  });

  it('is off by default', () => {
    expect(found('Please ask John Smith about it')).toEqual([]);
  });
});
