/**
 * Pattern + validator detectors for the PII entities with a fixed shape: email, URL, IP address,
 * credit card (Luhn), IBAN (mod-97) and US SSN (SSA area / group rules). Each returns findings on the
 * string it is given; context words near a match raise or lower its score.
 */
import { isIP } from 'node:net';
import type { Finding } from '../scanner.js';
import { hasContextWord } from './detection.js';
import { hasKnownCardPrefix, isPlausibleSsn, isValidIban, passesLuhn } from '../../kit/pii-validators.js';

/** The PII entity types the default PII scanner looks for. */
export const piiEntityTypes = ['email', 'phone', 'credit_card', 'iban', 'us_ssn', 'ip_address', 'url'] as const;
/** Every type the PII scanner can emit; `person` (names, via a tagger) only when asked for. */
export type PiiEntityType = (typeof piiEntityTypes)[number] | 'person';

const emailPattern = /(?<![\w.%+-])[A-Za-z0-9][A-Za-z0-9._%+-]{0,63}@(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.){1,8}[A-Za-z]{2,24}(?![\w-])/g;
const urlPattern = /\b(?:(?:https?|ftp):\/\/|www\.)[^\s<>"'`{}|\\^]+/gi;
const ipv4Pattern = /(?<![\w.])(?:\d{1,3}\.){3}\d{1,3}(?![\w]|\.\d)/g;
const ipv6Pattern = /(?<![\w:.])(?:[0-9A-Fa-f]{0,4}:){2,7}(?:[0-9A-Fa-f]{1,4}|(?:\d{1,3}\.){3}\d{1,3})?(?![\w:])/g;
const cardPattern = /(?<![\w.-])\d(?:[ -]?\d){11,18}(?![\w]|[.-]\d)/g;
const ibanPattern = /(?<![A-Za-z0-9])[A-Za-z]{2}\d{2}(?: ?[A-Za-z0-9]){11,30}(?![A-Za-z0-9])/g;
const ssnPattern = /(?<![\w-])(\d{3})([- ]?)(\d{2})\2(\d{4})(?![\w]|-\d)/g;

const cardContext = /\b(?:card|credit|debit|visa|master ?card|amex|american express|discover|jcb|maestro|cc|pan)\b/i;
const ssnContext = /\b(?:ssn|ssns|social security|social sec|ss#|ss #|taxpayer|tin)\b/i;
const ipContext = /\b(?:ip|ipv4|ipv6|address|host|server|client|from|connect(?:ed|ion)?)\b/i;
const versionContext = /\b(?:version|ver|v|release|build|firmware|oid)\.?\s*$/i;
const trailingPunctuation = /[.,;:!?'")\]}>]/;

export function detectEmails(text: string): Finding[] {
  if (!text.includes('@')) return [];
  const findings: Finding[] = [];
  for (const match of text.matchAll(emailPattern)) {
    if (isUrlUserInfo(text, match.index)) continue;
    findings.push({ type: 'email', start: match.index, end: match.index + match[0].length, score: 0.95 });
  }
  return findings;
}

/** `user:password@host` inside `scheme://...` is credentials in a URL, not an email address. */
function isUrlUserInfo(text: string, start: number): boolean {
  const tokenStart = Math.max(text.lastIndexOf(' ', start), text.lastIndexOf('\n', start), start - 200);
  const prefix = text.slice(tokenStart + 1, start);
  return prefix.includes('://') && !prefix.startsWith('mailto:');
}

export function detectUrls(text: string): Finding[] {
  const findings: Finding[] = [];
  for (const match of text.matchAll(urlPattern)) {
    const value = trimUrl(match[0]);
    if (!/[A-Za-z0-9]\.[A-Za-z]{2,}/.test(value)) continue;
    const score = /^www\./i.test(value) ? 0.8 : 0.9;
    findings.push({ type: 'url', start: match.index, end: match.index + value.length, score });
  }
  return findings;
}

/** Drops trailing punctuation, but keeps a `)` that closes a `(` inside the URL (Wikipedia style). */
function trimUrl(candidate: string): string {
  let value = candidate;
  while (value.length > 0 && trailingPunctuation.test(value[value.length - 1])) {
    if (value.endsWith(')') && value.split('(').length > value.split(')').length - 1) break;
    value = value.slice(0, -1);
  }
  return value;
}

export function detectIpAddresses(text: string): Finding[] {
  const findings: Finding[] = [];
  for (const match of text.matchAll(ipv4Pattern)) {
    if (isIP(match[0]) !== 4) continue;
    const start = match.index;
    const end = start + match[0].length;
    const before = text.slice(Math.max(0, start - 20), start);
    let score = 0.8;
    if (versionContext.test(before)) score = 0.2;
    else if (hasContextWord(text, start, end, ipContext)) score = 0.95;
    findings.push({ type: 'ip_address', start, end, score });
  }
  if (text.includes(':')) {
    for (const match of text.matchAll(ipv6Pattern)) {
      const value = match[0];
      // Clock times and ratios are not addresses: require a hex letter, '::' or a full eight groups.
      if (value.length < 6 || isIP(value) !== 6) continue;
      if (!/[A-Fa-f]|::/.test(value) && value.split(':').length < 8) continue;
      findings.push({ type: 'ip_address', start: match.index, end: match.index + value.length, score: 0.85 });
    }
  }
  return findings;
}

export function detectCreditCards(text: string): Finding[] {
  const findings: Finding[] = [];
  for (const match of text.matchAll(cardPattern)) {
    const value = match[0];
    // Mixed separators ("1234-5678 9012") are not how cards are written.
    if (value.includes(' ') && value.includes('-')) continue;
    const digits = value.replace(/[ -]/g, '');
    if (digits.length < 12 || digits.length > 19 || !passesLuhn(digits) || /^(\d)\1+$/.test(digits)) continue;
    const start = match.index;
    const end = start + value.length;
    const context = hasContextWord(text, start, end, cardContext, 60);
    let score = hasKnownCardPrefix(digits) ? 0.9 : 0.45;
    if (context) score = Math.min(1, score + 0.1);
    findings.push({ type: 'credit_card', start, end, score });
  }
  return findings;
}

export function detectIbans(text: string): Finding[] {
  const findings: Finding[] = [];
  for (const match of text.matchAll(ibanPattern)) {
    let value = match[0];
    // The pattern may run on into the next word after a space; shrink to the longest valid prefix.
    while (value.length >= 15) {
      if (isValidIban(value.replace(/ /g, ''))) {
        findings.push({ type: 'iban', start: match.index, end: match.index + value.length, score: 0.95 });
        break;
      }
      const lastSpace = value.lastIndexOf(' ');
      if (lastSpace < 0) break;
      value = value.slice(0, lastSpace);
    }
  }
  return findings;
}

export function detectSsns(text: string): Finding[] {
  const findings: Finding[] = [];
  for (const match of text.matchAll(ssnPattern)) {
    const [value, area, separator, group, serial] = match;
    if (!isPlausibleSsn(area, group, serial)) continue;
    const start = match.index;
    const end = start + value.length;
    const context = hasContextWord(text, start, end, ssnContext, 60);
    // Nine bare digits are as likely an order or account number: only with context.
    if (separator === '' && !context) continue;
    let score = separator === '-' ? 0.75 : 0.5;
    if (context) score = 0.95;
    findings.push({ type: 'us_ssn', start, end, score });
  }
  return findings;
}
