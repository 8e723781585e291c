/**
 * The secrets rule table. Patterns are ported (and sometimes simplified) from gitleaks' default rules,
 * https://github.com/gitleaks/gitleaks `config/gitleaks.toml` (MIT licence, Copyright (c) 2019 Zachary
 * Rice), and from provider documentation of token formats. Each rule has cheap lower-case keywords: the
 * regex only runs when one of them occurs in the text, which keeps a clean 4 KB prompt well under a
 * millisecond.
 *
 * Scores: 0.95 for formats with a fixed, provider-specific prefix or checksum-like structure (block or
 * mask worthy); 0.5 for flag-level heuristics (JWTs, generic `password = "..."` assignments).
 */

export interface SecretRule {
  /** The finding type, e.g. `github_token`. */
  type: string;
  /** Lower-case substrings; the rule runs only if the lower-cased text contains one of them. */
  keywords: readonly string[];
  /** Must be global. Capture group `secretGroup` (default 0) is the span reported. */
  pattern: RegExp;
  secretGroup?: number;
  score: number;
  /** Extra check on the captured secret (entropy, placeholders). */
  accept?: (secret: string) => boolean;
}

/** Shannon entropy in bits per character. */
export function shannonEntropy(value: string): number {
  if (value.length === 0) return 0;
  const counts = new Map<string, number>();
  for (const character of value) counts.set(character, (counts.get(character) ?? 0) + 1);
  let entropy = 0;
  for (const count of counts.values()) {
    const probability = count / value.length;
    entropy -= probability * Math.log2(probability);
  }
  return entropy;
}

const placeholderPattern = /^(?:\$\{.*\}|\$[A-Z_]+|<[^>]*>|\{\{.*\}\}|%[a-z_]*%?|x+|\*+|\.+|changeme|password|secret|example|your[-_]?\w*|redacted|null|none|undefined|true|false)$/i;

/** True for values that are obviously not real secrets: templates, masks, the word "password". */
export function isPlaceholder(value: string): boolean {
  return placeholderPattern.test(value) || /^(.)\1+$/.test(value);
}

const notPlaceholder = (secret: string): boolean => !isPlaceholder(secret);

export const secretRules: readonly SecretRule[] = [
  // Cloud
  { type: 'aws_access_key_id', keywords: ['akia', 'asia', 'abia', 'acca', 'a3t'], pattern: /\b((?:A3T[A-Z0-9]|AKIA|ASIA|ABIA|ACCA)[A-Z2-7]{16})\b/g, secretGroup: 1, score: 0.95 },
  {
    type: 'aws_secret_access_key',
    keywords: ['aws', 'secret_access', 'secretaccess'],
    pattern: /(?:aws|secret_?access)[\w.-]{0,30}?["']?\s{0,3}[:=]{1,2}>?\s{0,3}["']?([A-Za-z0-9/+]{40})(?![A-Za-z0-9/+=])/gi,
    secretGroup: 1,
    score: 0.95,
    accept: (secret) => shannonEntropy(secret) > 4 && /[A-Z]/.test(secret) && /[a-z]/.test(secret) && /\d/.test(secret),
  },
  { type: 'google_api_key', keywords: ['aiza'], pattern: /\b(AIza[0-9A-Za-z_-]{35})(?![\w-])/g, secretGroup: 1, score: 0.95 },
  { type: 'google_oauth_client_secret', keywords: ['gocspx-'], pattern: /\b(GOCSPX-[A-Za-z0-9_-]{28})(?![\w-])/g, secretGroup: 1, score: 0.95 },
  { type: 'gcp_service_account_key_id', keywords: ['private_key_id'], pattern: /"private_key_id"\s*:\s*"([a-f0-9]{40})"/g, secretGroup: 1, score: 0.95 },
  { type: 'azure_storage_key', keywords: ['accountkey'], pattern: /AccountKey=([A-Za-z0-9+/]{86}==)/gi, secretGroup: 1, score: 0.95 },
  { type: 'azure_sas_token', keywords: ['sig='], pattern: /[?&]sv=\d{4}-\d{2}-\d{2}&[^\s"']*?sig=([A-Za-z0-9%+/]{30,}(?:%3D|=){0,2})/gi, secretGroup: 1, score: 0.9 },
  // Version control
  { type: 'github_token', keywords: ['ghp_', 'gho_', 'ghu_', 'ghs_', 'ghr_'], pattern: /\b((?:ghp|gho|ghu|ghs|ghr)_[0-9A-Za-z]{36})\b/g, secretGroup: 1, score: 0.95 },
  { type: 'github_token', keywords: ['github_pat_'], pattern: /\b(github_pat_[0-9A-Za-z_]{82})\b/g, secretGroup: 1, score: 0.95 },
  { type: 'gitlab_token', keywords: ['glpat-', 'glptt-', 'gldt-', 'glrt-', 'gloas-', 'glsoat-', 'glcbt-'], pattern: /\b((?:glpat|glptt|gldt|glrt|gloas|glsoat)-[0-9A-Za-z_-]{20,}|glcbt-[0-9a-f]{1,5}_[0-9A-Za-z_-]{20})(?![\w-])/g, secretGroup: 1, score: 0.95 },
  { type: 'gitlab_token', keywords: ['gr1348941'], pattern: /\b(GR1348941[0-9A-Za-z_-]{20})(?![\w-])/g, secretGroup: 1, score: 0.95 },
  // Chat
  { type: 'slack_token', keywords: ['xox', 'xapp-'], pattern: /\b(xox[abeoprs]-(?:\d+-)+[0-9A-Za-z-]{10,}|xapp-\d-[A-Z0-9]+-\d+-[a-z0-9]+)\b/g, secretGroup: 1, score: 0.95 },
  { type: 'slack_webhook', keywords: ['hooks.slack.com'], pattern: /((?:https?:\/\/)?hooks\.slack\.com\/(?:services|workflows|triggers)\/[A-Za-z0-9+/]{43,56})/g, secretGroup: 1, score: 0.95 },
  { type: 'discord_webhook', keywords: ['discord'], pattern: /(https:\/\/(?:canary\.|ptb\.)?discord(?:app)?\.com\/api\/webhooks\/\d{17,20}\/[A-Za-z0-9_-]{60,80})/g, secretGroup: 1, score: 0.95 },
  { type: 'telegram_bot_token', keywords: ['bot', 'telegram'], pattern: /\b(\d{8,10}:AA[0-9A-Za-z_-]{33})(?![\w-])/g, secretGroup: 1, score: 0.9 },
  // Payment
  { type: 'stripe_key', keywords: ['sk_', 'rk_'], pattern: /\b((?:sk|rk)_(?:test|live|prod)_[0-9A-Za-z]{10,99})\b/g, secretGroup: 1, score: 0.95 },
  // LLM providers
  { type: 'anthropic_api_key', keywords: ['sk-ant-'], pattern: /\b(sk-ant-(?:api|admin|sid)\d{2}-[A-Za-z0-9_-]{80,120})(?![\w-])/g, secretGroup: 1, score: 0.95 },
  { type: 'openai_api_key', keywords: ['sk-proj-', 'sk-svcacct-', 'sk-admin-', 'sk-None-'.toLowerCase()], pattern: /\b(sk-(?:proj|svcacct|admin|None)-[A-Za-z0-9_-]{40,200})(?![\w-])/g, secretGroup: 1, score: 0.95 },
  { type: 'openai_api_key', keywords: ['t3blbkfj'], pattern: /\b(sk-[A-Za-z0-9_-]{20,80}T3BlbkFJ[A-Za-z0-9_-]{20,80})(?![\w-])/g, secretGroup: 1, score: 0.95 },
  { type: 'openai_api_key', keywords: ['sk-'], pattern: /(?<![\w-])(sk-[A-Za-z0-9]{48})(?![\w-])/g, secretGroup: 1, score: 0.9 },
  { type: 'huggingface_token', keywords: ['hf_'], pattern: /\b(hf_[A-Za-z]{34})\b/g, secretGroup: 1, score: 0.9 },
  { type: 'groq_api_key', keywords: ['gsk_'], pattern: /\b(gsk_[A-Za-z0-9]{52})\b/g, secretGroup: 1, score: 0.95 },
  // Package registries and mail
  { type: 'npm_token', keywords: ['npm_'], pattern: /\b(npm_[A-Za-z0-9]{36})\b/g, secretGroup: 1, score: 0.95 },
  { type: 'pypi_token', keywords: ['pypi-'], pattern: /\b(pypi-AgEIcHlwaS5vcmc[A-Za-z0-9_-]{50,})(?![\w-])/g, secretGroup: 1, score: 0.95 },
  { type: 'sendgrid_api_key', keywords: ['sg.'], pattern: /\b(SG\.[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43})(?![\w-])/g, secretGroup: 1, score: 0.95 },
  // Private keys (PEM, including JSON-escaped newlines as in GCP service-account files)
  {
    type: 'private_key',
    keywords: ['private key'],
    pattern: /(-----BEGIN[ A-Z0-9]{0,20} PRIVATE KEY(?: BLOCK)?-----(?:[\s\S]{16,16384}?-----END[ A-Z0-9]{0,20} PRIVATE KEY(?: BLOCK)?-----|[A-Za-z0-9+/=\s\\n]{64,}))/g,
    secretGroup: 1,
    score: 0.95,
  },
  // Connection strings with an inline password
  {
    type: 'connection_string_password',
    keywords: ['://'],
    pattern: /\b(?:postgres(?:ql)?|mysql|mariadb|mongodb(?:\+srv)?|rediss?|amqps?|mssql|sqlserver|jdbc:[a-z]+|clickhouse|cockroachdb|nats|ldaps?|ftps?|sftp|smtps?):\/\/[^\s:@/]*:([^\s@/]{3,})@[\w.-]+/gi,
    secretGroup: 1,
    score: 0.9,
    accept: notPlaceholder,
  },
  // Flag-level heuristics
  {
    type: 'jwt',
    keywords: ['eyj'],
    pattern: /\b(eyJ[A-Za-z0-9_-]{10,}\.eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{16,})(?![\w-])/g,
    secretGroup: 1,
    score: 0.5,
  },
  {
    type: 'generic_secret_assignment',
    keywords: ['pass', 'pwd', 'secret', 'token', 'api_key', 'apikey', 'api-key', 'credential'],
    pattern: /\b(?:[\w.-]{0,20}(?:password|passwd|pwd|secret|token|api[_-]?key|apikey|credentials?))["']?\s{0,3}(?::=|=>|[:=])\s{0,3}(["'`])([^\s"'`]{8,200})\1/gi,
    secretGroup: 2,
    score: 0.5,
    accept: (secret) => !isPlaceholder(secret) && shannonEntropy(secret) >= 3,
  },
];
