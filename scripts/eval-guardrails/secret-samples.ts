/**
 * A seeded synthetic secrets set for the evaluation: fake credentials in each provider's format inside
 * realistic sentences, the same credentials smuggled (base64-wrapped, zero-width split), and hard
 * negatives that must not fire (UUIDs, git SHAs, SHA-256 hashes, base64 of ordinary text, placeholders).
 * Nothing here is a real credential: values are random characters in the documented shapes.
 */
import { seededRandom } from '../../src/gateway/routing/test-support/seeded-random.js';

export interface SecretSample {
  text: string;
  /** Expected finding type, or undefined for a hard negative. */
  type?: string;
  /** Span of the secret in `text` (positives only). */
  start?: number;
  end?: number;
  /** `plain`, `base64`, `zero_width` for positives; the negative's family otherwise. */
  variant: string;
}

const upper = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const lower = 'abcdefghijklmnopqrstuvwxyz';
const digits = '0123456789';
const alphanumeric = upper + lower + digits;
const base64Alphabet = `${alphanumeric}+/`;
const urlSafe = `${alphanumeric}_-`;
const hex = '0123456789abcdef';

type Generator = (pick: (alphabet: string, length: number) => string) => string;

/** Token shapes per finding type (several shapes may share one type). */
const generators: [string, Generator][] = [
  ['aws_access_key_id', (pick) => `AKIA${pick('ABCDEFGHIJKLMNOPQRSTUVWXYZ234567', 16)}`],
  ['aws_secret_access_key', (pick) => `aws_secret_access_key = ${pick(base64Alphabet, 40)}`],
  ['google_api_key', (pick) => `AIza${pick(urlSafe, 35)}`],
  ['azure_storage_key', (pick) => `DefaultEndpointsProtocol=https;AccountName=acme;AccountKey=${pick(base64Alphabet, 86)}==;EndpointSuffix=core.windows.net`],
  ['github_token', (pick) => `ghp_${pick(alphanumeric, 36)}`],
  ['github_token', (pick) => `github_pat_${pick(alphanumeric, 22)}_${pick(alphanumeric, 59)}`],
  ['gitlab_token', (pick) => `glpat-${pick(urlSafe, 20)}`],
  ['slack_token', (pick) => `xoxb-${pick(digits, 12)}-${pick(digits, 13)}-${pick(alphanumeric, 24)}`],
  ['slack_webhook', (pick) => `https://hooks.slack.com/services/T${pick(upper + digits, 8)}/B${pick(upper + digits, 10)}/${pick(alphanumeric, 24)}`],
  ['stripe_key', (pick) => `sk_live_${pick(alphanumeric, 24)}`],
  ['openai_api_key', (pick) => `sk-proj-${pick(urlSafe, 74)}T3BlbkFJ${pick(urlSafe, 74)}`],
  ['openai_api_key', (pick) => `sk-${pick(alphanumeric, 20)}T3BlbkFJ${pick(alphanumeric, 20)}`],
  ['anthropic_api_key', (pick) => `sk-ant-api03-${pick(urlSafe, 93)}AA`],
  ['npm_token', (pick) => `npm_${pick(alphanumeric, 36)}`],
  ['private_key', (pick) => `-----BEGIN RSA PRIVATE KEY-----\n${pick(base64Alphabet, 64)}\n${pick(base64Alphabet, 64)}\n-----END RSA PRIVATE KEY-----`],
  ['private_key', (pick) => `{"type": "service_account", "private_key": "-----BEGIN PRIVATE KEY-----\\n${pick(base64Alphabet, 64)}\\n-----END PRIVATE KEY-----\\n"}`],
  ['connection_string_password', (pick) => `postgres://app:${pick(alphanumeric, 16)}@db.internal:5432/app`],
  ['connection_string_password', (pick) => `mongodb+srv://admin:${pick(alphanumeric, 14)}@cluster0.abcde.mongodb.net/test`],
  ['connection_string_password', (pick) => `redis://:${pick(alphanumeric, 20)}@cache.internal:6379/0`],
];

const templates = [
  (token: string) => `Here is my config, why does it fail? ${token}`,
  (token: string) => `export SERVICE_CREDENTIAL="${token}"\nnode server.js`,
  (token: string) => `Can you debug this: client = Client(${JSON.stringify(token)}) # returns 401`,
  (token: string) => `${token}\nthat's the value from the dashboard, is it valid?`,
];

const negativeTexts: [string, Generator][] = [
  ['uuid', (pick) => `Request id ${pick(hex, 8)}-${pick(hex, 4)}-4${pick(hex, 3)}-a${pick(hex, 3)}-${pick(hex, 12)} failed.`],
  ['git_sha', (pick) => `Reverted commit ${pick(hex, 40)} because it broke the build.`],
  ['sha256', (pick) => `sha256: ${pick(hex, 64)}  release.tar.gz`],
  ['base64_text', () => `Attachment: ${Buffer.from('Quarterly report draft, please review before Friday.').toString('base64')}`],
  ['base64_binary', (pick) => `data:image/png;base64,${pick(base64Alphabet, 120)}`],
  ['placeholder', () => `Set OPENAI_API_KEY=your-api-key-here and password = "changeme" in .env`],
  ['placeholder_url', () => `DATABASE_URL=postgres://user:<password>@localhost:5432/db`],
  ['identifier', (pick) => `The function get${pick(upper, 1)}${pick(lower, 12)}Handler is defined in utils.ts line ${pick(digits, 3)}.`],
  ['prose', () => `The secret to good bread is time; the token of appreciation was a sketch of the harbour.`],
];

/** Generates positives (three variants each) and hard negatives, deterministic for a seed. */
export function generateSecretSamples(seed = 20261127, perShape = 20, negativesPerFamily = 60): SecretSample[] {
  const random = seededRandom(seed);
  const pick = (alphabet: string, length: number): string => {
    let value = '';
    for (let index = 0; index < length; index += 1) value += alphabet[Math.floor(random() * alphabet.length)];
    return value;
  };
  const samples: SecretSample[] = [];
  for (const [type, generate] of generators) {
    for (let count = 0; count < perShape; count += 1) {
      const token = generate(pick);
      const template = templates[count % templates.length];
      const text = template(token);
      const start = text.indexOf(token);
      samples.push({ text, type, start, end: start + token.length, variant: 'plain' });
      const wrapped = Buffer.from(token).toString('base64');
      const base64Text = template(wrapped);
      const base64Start = base64Text.indexOf(wrapped);
      samples.push({ text: base64Text, type, start: base64Start, end: base64Start + wrapped.length, variant: 'base64' });
      const split = `${token.slice(0, 6)}\u200b${token.slice(6)}`;
      const splitText = template(split);
      const splitStart = splitText.indexOf(split);
      samples.push({ text: splitText, type, start: splitStart, end: splitStart + split.length, variant: 'zero_width' });
    }
  }
  for (const [family, generate] of negativeTexts) {
    for (let count = 0; count < negativesPerFamily; count += 1) samples.push({ text: generate(pick), variant: family });
  }
  return samples;
}
