import { describe, expect, it } from 'vitest';
import { isPlaceholder, shannonEntropy } from './secret-rules.js';
import { createSecretsScanner } from './secrets-scanner.js';

const scanner = createSecretsScanner();
const found = (text: string): string[] =>
  scanner.scan(text, { channel: 'user' }).findings.map((finding) => `${finding.type}:${text.slice(finding.start, finding.end)}`);
// Fake values in real formats, built at run time so no token-shaped literal sits in the repository.
const repeat = (alphabet: string, length: number): string => alphabet.repeat(Math.ceil(length / alphabet.length)).slice(0, length);
const mixed = 'aB3dE5gH7jK9mN1pQ2rS4tU6vW8xY0z';

describe('secrets scanner', () => {
  it.each([
    ['aws_access_key_id', `AKIA${repeat('QWERTYUIOPASDFGH', 16)}`],
    ['google_api_key', `AIza${repeat(mixed, 35)}`],
    ['github_token', `ghp_${repeat(mixed, 36)}`],
    ['github_token', `github_pat_${repeat(mixed, 82)}`],
    ['gitlab_token', `glpat-${repeat(mixed, 20)}`],
    ['slack_token', `xoxb-123456789012-1234567890123-${repeat(mixed, 24)}`],
    ['slack_webhook', `https://hooks.slack.com/services/T0123ABCD/B0123456789/${repeat(mixed, 24)}`],
    ['stripe_key', `sk_live_${repeat(mixed, 24)}`],
    ['openai_api_key', `sk-proj-${repeat(mixed, 60)}`],
    ['openai_api_key', `sk-${repeat(mixed, 20)}T3BlbkFJ${repeat(mixed, 20)}`],
    ['anthropic_api_key', `sk-ant-api03-${repeat(mixed, 93)}AA`],
    ['npm_token', `npm_${repeat(mixed, 36)}`],
    ['sendgrid_api_key', `SG.${repeat(mixed, 22)}.${repeat(mixed, 43)}`],
  ])('finds a %s and reports only the token', (type, token) => {
    expect(found(`here you go: ${token} thanks`)).toEqual([`${type}:${token}`]);
  });

  it('finds an AWS secret access key next to its name', () => {
    const secret = repeat('wJalrXUtnFEMI/K7MDENG/bPxRfiCY9EXAMPLEKEY', 40);
    expect(found(`aws_secret_access_key = "${secret}"`)).toEqual([`aws_secret_access_key:${secret}`]);
  });

  it('finds Azure storage keys, PEM private keys (also JSON-escaped) and connection-string passwords', () => {
    const accountKey = `${repeat(mixed, 86)}==`;
    expect(found(`DefaultEndpointsProtocol=https;AccountName=a;AccountKey=${accountKey};`)).toEqual([`azure_storage_key:${accountKey}`]);
    const pem = `-----BEGIN RSA PRIVATE KEY-----\n${repeat(mixed, 64)}\n-----END RSA PRIVATE KEY-----`;
    expect(found(`key:\n${pem}\n`)).toEqual([`private_key:${pem}`]);
    const escaped = `-----BEGIN PRIVATE KEY-----\\n${repeat(mixed, 64)}\\n-----END PRIVATE KEY-----`;
    expect(found(`{"private_key": "${escaped}\\n"}`)).toEqual([`private_key:${escaped}`]);
    expect(found('postgres://app:Tr0ub4dor3@db.internal:5432/app')).toEqual(['connection_string_password:Tr0ub4dor3']);
    expect(found('redis://:s3cretPassw0rd@cache:6379')).toEqual(['connection_string_password:s3cretPassw0rd']);
    expect(found('mongodb+srv://admin:hunter22x@cluster0.mongodb.net/db')).toEqual(['connection_string_password:hunter22x']);
  });

  it('flags JWTs and password assignments at flag level only', () => {
    const jwt = `eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.${repeat(mixed, 43)}`;
    const jwtResult = scanner.scan(`Authorization: Bearer ${jwt}`, { channel: 'user' });
    expect(jwtResult.findings.map((finding) => finding.type)).toEqual(['jwt']);
    expect(jwtResult.score).toBe(0.5);
    expect(found('db_password = "Xk29!fQz#1pL"')).toEqual(['generic_secret_assignment:Xk29!fQz#1pL']);
  });

  it('does not fire on hard negatives', () => {
    const negatives = [
      'request 123e4567-e89b-12d3-a456-426614174000 failed',
      'commit 3f786850e387550fdab836ed7e6dc881de23001b',
      'sha256 e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
      `attachment ${Buffer.from('Quarterly report draft, please review before Friday.').toString('base64')}`,
      'OPENAI_API_KEY=your-api-key-here and password = "changeme"',
      'DATABASE_URL=postgres://user:<password>@localhost:5432/db and redis://:${REDIS_PASSWORD}@cache',
      'The secret to good bread is time; the token of appreciation was a sketch.',
      'the task-runner uses sk-learn and a desk-top setup',
    ];
    for (const text of negatives) expect(found(text), text).toEqual([]);
  });

  it('finds secrets smuggled in base64 or split by zero-width characters, spanning the carrier', () => {
    const token = `ghp_${repeat(mixed, 36)}`;
    const wrapped = Buffer.from(`token=${token}`).toString('base64');
    expect(found(`decode: ${wrapped}`)).toEqual([`github_token:${wrapped}`]);
    const split = `${token.slice(0, 5)}\u200b${token.slice(5)}`;
    expect(found(`use ${split} please`)).toEqual([`github_token:${split}`]);
  });

  it('can leave out rule types', () => {
    const quiet = createSecretsScanner({ disabledTypes: ['jwt'] });
    const jwt = `eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.${repeat(mixed, 43)}`;
    expect(quiet.scan(jwt, { channel: 'user' }).findings).toEqual([]);
  });

  it('has entropy and placeholder helpers that behave', () => {
    expect(shannonEntropy('aaaa')).toBe(0);
    expect(shannonEntropy('abcd')).toBe(2);
    expect(isPlaceholder('${DB_PASSWORD}')).toBe(true);
    expect(isPlaceholder('********')).toBe(true);
    expect(isPlaceholder('Tr0ub4dor3')).toBe(false);
  });
});
