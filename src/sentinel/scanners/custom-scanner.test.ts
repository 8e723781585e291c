import { describe, expect, it } from 'vitest';
import { createCustomScanner, customScannerConfigSchema } from './custom-scanner.js';
import { checkRegexSafety } from './regex-safety.js';

describe('checkRegexSafety', () => {
  it.each(['(a+)+$', '(a*)*', '(x+x+)+y', '([a-z]+\\s?)*', '(?:\\w+\\.)+{2,}', '(a|a)*', '(\\w|\\d)+', '(a|)+', '(.*a){20}', '(a|ab)*c', 'ab\\1', '(?<x>a)\\k<x>'])(
    'refuses %s',
    (pattern) => {
      expect(checkRegexSafety(pattern).safe).toBe(false);
    },
  );

  it.each(['\\d{3}-\\d{2}-\\d{4}', '(?:foo|bar)+', '[a-z]+@[a-z]+\\.com', 'project-(alpha|beta)', '(ab)+', '(?:\\d{1,3}\\.){3}\\d{1,3}', '^ACME-[0-9]{6}$', '(?<=id:)\\w+'])(
    'accepts %s',
    (pattern) => {
      expect(checkRegexSafety(pattern)).toEqual({ safe: true });
    },
  );

  it('refuses patterns that do not compile or are too long', () => {
    expect(checkRegexSafety('(unclosed').reason).toMatch(/does not compile/);
    expect(checkRegexSafety('a'.repeat(1001)).reason).toMatch(/longer than/);
  });

  it('treats the i flag when comparing branches', () => {
    expect(checkRegexSafety('(a|A)+').safe).toBe(true);
    expect(checkRegexSafety('(a|A)+', 'i').safe).toBe(false);
  });
});

describe('custom scanner', () => {
  it('refuses an unsafe regex when the configuration is parsed', () => {
    const parsed = customScannerConfigSchema.safeParse({ regex: [{ id: 'bad', pattern: '(a+)+$' }] });
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues[0]).toMatchObject({ path: ['regex', 0, 'pattern'] });
    expect(parsed.error?.issues[0].message).toMatch(/unsafe regular expression: nested quantifiers/);
    expect(() => createCustomScanner({ regex: [{ id: 'bad', pattern: '(a|a)*' }] })).toThrow(/unsafe regular expression/);
    expect(() => createCustomScanner({ regex: [{ id: 'flags', pattern: 'a', flags: 'y' }] })).toThrow();
  });

  it('reports regex and deny-list matches in original offsets, through obfuscation', () => {
    const scanner = createCustomScanner({
      regex: [{ id: 'project_code', pattern: 'ACME-\\d{6}', score: 0.7 }],
      denyLists: [{ id: 'codenames', terms: ['blue falcon', 'falcon'] }],
    });
    const text = 'Ship ACME-123456 for Blue Falcon, not falconry; also ｆａｌｃｏｎ and fаlcon.';
    const findings = scanner.scan(text, { channel: 'user' }).findings.map((finding) => `${finding.type}:${text.slice(finding.start, finding.end)}`);
    expect(findings).toEqual(['project_code:ACME-123456', 'codenames:Blue Falcon', 'codenames:ｆａｌｃｏｎ', 'codenames:fаlcon']);
    expect(scanner.scan(text, { channel: 'user' }).score).toBe(0.9);
  });

  it('supports case-sensitive, substring deny lists', () => {
    const scanner = createCustomScanner({ denyLists: [{ id: 'internal', terms: ['ZX'], caseSensitive: true, wholeWords: false }] });
    expect(scanner.scan('aZXb zx', { channel: 'user' }).findings).toEqual([{ type: 'internal', start: 1, end: 3, score: 0.9 }]);
  });

  it('answers nothing when configured with nothing', () => {
    expect(createCustomScanner({}).scan('anything', { channel: 'user' })).toEqual({ score: 0, findings: [] });
  });
});
