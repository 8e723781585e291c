import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../gateway/routing/test-support/seeded-random.js';
import { createCustomScanner, createDefaultInputScanners } from './index.js';

// Pieces chosen to hit every code path: digits and separators, @ and ://, encodings, invisible and
// astral characters, lone surrogates, lookalikes, tags.
const pieces = [
  '4111 1111 1111 1111', '+44 20 7946 0958', 'a@b.io', 'https://x.org/(a)', '%41%42', 'QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVo=',
  '\u200b', '\u202e', '\u{e0041}', '😀', '\ud800', '\udc00', 'о', 'Ｆ', '536-22-1234', 'GB82WEST12345698765432', 'ghp_',
  ' ', '\n', '(', ')', '-', '.', ':', '1', 'x', 'password = "', '-----BEGIN PRIVATE KEY-----', 'é', 'e\u0301',
];

describe('scanners on arbitrary input', () => {
  it('never throw and always return spans inside the original text', () => {
    const random = seededRandom(7);
    const scanners = [...createDefaultInputScanners({ pii: { entities: ['email', 'phone', 'credit_card', 'iban', 'us_ssn', 'ip_address', 'url'] } }), createCustomScanner({ denyLists: [{ id: 'word', terms: ['fox'] }] })];
    for (let round = 0; round < 300; round += 1) {
      let text = '';
      const length = Math.floor(random() * 40);
      for (let index = 0; index < length; index += 1) text += pieces[Math.floor(random() * pieces.length)];
      for (const scanner of scanners) {
        const result = scanner.scan(text, { channel: 'user' });
        expect(result.score).toBeGreaterThanOrEqual(0);
        expect(result.score).toBeLessThanOrEqual(1);
        for (const finding of result.findings) {
          expect(finding.start).toBeGreaterThanOrEqual(0);
          expect(finding.end).toBeLessThanOrEqual(text.length);
          expect(finding.end).toBeGreaterThan(finding.start);
          expect(Object.keys(finding).sort()).toEqual(['end', 'score', 'start', 'type']);
        }
      }
    }
  });
});
