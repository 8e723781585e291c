import { describe, expect, it } from 'vitest';
import { isValidIban, passesLuhn } from '../../kit/pii-validators.js';
import { redactJson, redactText } from './redactor.js';

describe('redactText', () => {
  it('masks e-mail addresses', () => {
    expect(redactText('write to jane.doe+news@example.co.uk today')).toBe('write to [REDACTED:EMAIL] today');
  });

  it('masks payment card numbers that pass Luhn, in groups or not, and keeps other long numbers', () => {
    expect(redactText('card 4111 1111 1111 1111 exp 12/29')).toBe('card [REDACTED:CARD] exp 12/29');
    expect(redactText('card 5500-0000-0000-0004.')).toBe('card [REDACTED:CARD].');
    expect(redactText('amex 378282246310005')).toBe('amex [REDACTED:CARD]');
    // Fails Luhn and has too many digits for a phone number: an order number, kept.
    expect(redactText('order 4111111111111112345')).toBe('order 4111111111111112345');
  });

  it('masks IBANs with a valid check and keeps look-alikes', () => {
    expect(redactText('pay to DE89 3704 0044 0532 0130 00 please')).toBe('pay to [REDACTED:IBAN] please');
    expect(redactText('GB82WEST12345698765432')).toBe('[REDACTED:IBAN]');
    expect(redactText('ref GB00WEST12345698765432')).toBe('ref GB00WEST12345698765432');
  });

  it('masks phone numbers in international and national forms, not dates or small numbers', () => {
    expect(redactText('call +1 (415) 555-0100 now')).toBe('call [REDACTED:PHONE] now');
    expect(redactText('ring 0044 20 7946 0958')).toBe('ring [REDACTED:PHONE]');
    expect(redactText('on 2026-11-27 we sold 1200 units for 35.50')).toBe('on 2026-11-27 we sold 1200 units for 35.50');
  });

  it('masks IPv4 and IPv6 addresses, not version numbers or times', () => {
    expect(redactText('from 192.168.10.254 and 2001:db8::8a2e:370:7334')).toBe('from [REDACTED:IP] and [REDACTED:IP]');
    expect(redactText('version 1.2.3 at 12:30:45')).toBe('version 1.2.3 at 12:30:45');
    expect(redactText('not an address 999.1.1.1')).toBe('not an address 999.1.1.1');
  });

  it('masks API keys, bearer tokens, JWTs, named secrets and random-looking tokens', () => {
    expect(redactText('key sk-proj-abcdefghijklmnop1234 here')).toBe('key [REDACTED:SECRET] here');
    expect(redactText('AKIAIOSFODNN7EXAMPLE')).toBe('[REDACTED:SECRET]');
    expect(redactText('Authorization: Bearer abc.def-123_456789')).toBe('Authorization: Bearer [REDACTED:SECRET]');
    expect(redactText('token eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U')).toBe('token [REDACTED:SECRET]');
    expect(redactText('password: hunter2!')).toBe('password: [REDACTED:SECRET]');
    expect(redactText('use Zq8vN3kR7tLw2xYp9sBm4cHd6fGj1aEu to sign')).toBe('use [REDACTED:SECRET] to sign');
    // Long but not random: a word-like identifier stays.
    expect(redactText('the function handle_incoming_request_with_retries_and_backoff')).toBe('the function handle_incoming_request_with_retries_and_backoff');
  });

  it('leaves ordinary prose alone', () => {
    const prose = 'Summarise the attached report in three bullet points, please. It covers Q3 2026.';
    expect(redactText(prose)).toBe(prose);
  });
});

describe('redactJson', () => {
  it('masks string values at any depth, keeps keys, numbers and the shape (still valid JSON)', () => {
    const body = { model: 'gpt-4o', messages: [{ role: 'user', content: 'I am bob@example.com\nfrom 10.0.0.1' }], temperature: 0.2, metadata: { 'bob@example.com': 'x' } };
    const redacted = redactJson(body) as typeof body;
    expect(redacted.messages[0].content).toBe('I am [REDACTED:EMAIL]\nfrom [REDACTED:IP]');
    expect(redacted.temperature).toBe(0.2);
    expect(Object.keys(redacted.metadata)).toEqual(['bob@example.com']);
    expect(JSON.parse(JSON.stringify(redacted))).toEqual(redacted);
    expect(body.messages[0].content).toContain('bob@example.com');
  });
});

describe('checksums', () => {
  it('Luhn and IBAN mod-97', () => {
    expect(passesLuhn('79927398713')).toBe(true);
    expect(passesLuhn('79927398710')).toBe(false);
    expect(isValidIban('FR14 2004 1010 0505 0001 3M02 606')).toBe(true);
    expect(isValidIban('FR15 2004 1010 0505 0001 3M02 606')).toBe(false);
  });
});
