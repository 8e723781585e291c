import { describe, expect, it } from 'vitest';
import type { Finding } from '../scanner.js';
import { maskFindings, placeholderLabel, restorePlaceholders } from './masking.js';
import { createPiiScanner } from './pii-scanner.js';
import { createSecretsScanner } from './secrets-scanner.js';

const span = (text: string, value: string, type: string, score = 0.9, from = 0): Finding => {
  const start = text.indexOf(value, from);
  return { type, start, end: start + value.length, score };
};

describe('maskFindings', () => {
  it('replaces values with typed placeholders and numbers each distinct value once', () => {
    const text = 'a@x.io wrote to b@y.io, then a@x.io again; call +1 415 555 2671';
    const findings = [
      span(text, 'a@x.io', 'email'),
      span(text, 'b@y.io', 'email'),
      span(text, 'a@x.io', 'email', 0.9, 10),
      span(text, '+1 415 555 2671', 'phone'),
    ];
    const masked = maskFindings(text, findings);
    expect(masked.text).toBe('[EMAIL_1] wrote to [EMAIL_2], then [EMAIL_1] again; call [PHONE_1]');
    expect(masked.vault).toEqual({ '[EMAIL_1]': 'a@x.io', '[EMAIL_2]': 'b@y.io', '[PHONE_1]': '+1 415 555 2671' });
  });

  it('keeps numbering stable across turns through the vault', () => {
    const first = maskFindings('mail a@x.io', [span('mail a@x.io', 'a@x.io', 'email')]);
    const secondText = 'c@z.io and a@x.io';
    const second = maskFindings(secondText, [span(secondText, 'c@z.io', 'email'), span(secondText, 'a@x.io', 'email')], { vault: first.vault });
    expect(second.text).toBe('[EMAIL_2] and [EMAIL_1]');
    expect(second.vault).toEqual({ '[EMAIL_1]': 'a@x.io', '[EMAIL_2]': 'c@z.io' });
    expect(first.vault).toEqual({ '[EMAIL_1]': 'a@x.io' });
  });

  it('resolves overlaps by score, then length, and redacts irreversible types without storing them', () => {
    const text = 'postgres://app:Tr0ub4dor3@db.internal/app';
    const findings = [span(text, text, 'url', 0.8), span(text, 'Tr0ub4dor3', 'connection_string_password', 0.95)];
    const masked = maskFindings(text, findings, { irreversibleTypes: new Set(['connection_string_password']) });
    expect(masked.text).toBe('postgres://app:[CONNECTION_STRING_PASSWORD_REDACTED]@db.internal/app');
    expect(masked.vault).toEqual({});
  });

  it('skips placeholder numbers the user already wrote, so restoring cannot rewrite their text', () => {
    const text = 'I typed [EMAIL_1] literally; my address is a@x.io';
    const masked = maskFindings(text, [span(text, 'a@x.io', 'email')]);
    expect(masked.text).toBe('I typed [EMAIL_1] literally; my address is [EMAIL_2]');
    expect(restorePlaceholders(masked.text, masked.vault)).toBe(text);
  });

  it('derives labels from finding types', () => {
    expect(placeholderLabel('credit_card')).toBe('CREDIT_CARD');
    expect(placeholderLabel('invisible-text')).toBe('INVISIBLE_TEXT');
  });
});

describe('restorePlaceholders', () => {
  const vault = { '[EMAIL_1]': 'a@x.io', '[CREDIT_CARD_1]': '4111 1111 1111 1111', '[PHONE_12]': '+1 415 555 2671' };

  it('restores the exact placeholder and the edits models make', () => {
    expect(restorePlaceholders('Sent to [EMAIL_1].', vault)).toBe('Sent to a@x.io.');
    expect(restorePlaceholders('Sent to EMAIL_1 and <email_1>, {Email 1}, \\[EMAIL_1\\]', vault)).toBe('Sent to a@x.io and a@x.io, a@x.io, a@x.io');
    expect(restorePlaceholders('Card [credit card 1] on file; call PHONE_12', vault)).toBe('Card 4111 1111 1111 1111 on file; call +1 415 555 2671');
    expect(restorePlaceholders('Please write to EMAIL_1 today', vault)).toBe('Please write to a@x.io today');
  });

  it('leaves unknown or glued placeholders alone', () => {
    expect(restorePlaceholders('EMAIL_2, MY_EMAIL_1X, EMAIL_10, PHONE_1', vault)).toBe('EMAIL_2, MY_EMAIL_1X, EMAIL_10, PHONE_1');
    expect(restorePlaceholders('(see EMAIL_1)', vault)).toBe('(see a@x.io)');
  });

  it('round-trips scanner findings: nothing sensitive left in the masked text, everything restored', () => {
    const text =
      'Hi, I am jane.roe@example.com, card 4111 1111 1111 1111, phone +44 20 7946 0958, ' +
      'IBAN GB82 WEST 1234 5698 7654 32, key ghp_aB3dE5gH7jK9mN1pQ2rS4tU6vW8xY0zaB3dE and jane.roe@example.com again.';
    const context = { channel: 'user' as const };
    const findings = [...createPiiScanner().scan(text, context).findings, ...createSecretsScanner().scan(text, context).findings];
    const masked = maskFindings(text, findings);
    for (const value of ['jane.roe@', '4111', '7946', 'WEST', 'ghp_']) expect(masked.text).not.toContain(value);
    expect(restorePlaceholders(masked.text, masked.vault)).toBe(text);
  });
});
