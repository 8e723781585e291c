/**
 * Phone numbers: a cheap linear candidate pattern, then libphonenumber-js (full metadata) decides whether
 * the candidate is a valid or possible number in one of the configured regions; nearby words such as
 * "call", "phone", "fax" raise the score of numbers the library cannot confirm. Bare digit shapes
 * without either are not reported: dates, amounts, house and order numbers look the same.
 */
import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js/max';
import type { Finding } from '../scanner.js';
import { hasContextWord } from './detection.js';

/** Regions tried, in order, for numbers written without a `+` country code. */
export const defaultPhoneRegions: readonly CountryCode[] = ['US', 'GB', 'FR', 'DE', 'BR', 'IN', 'AU', 'CA'];

// Linear: one optional prefix, then a class run that can only backtrack to its last digit.
const candidatePattern = /(?<![\w+@/.-])(?:\+|\b00)?\(?\d[\d ().-]{4,22}\d(?:\s?(?:x|ext\.?|extension)\s?\d{1,6})?(?![\w@]|[.-]\d)/gi;
const phoneContext = /\b(?:phone|telephone|tel|cell|cellphone|mobile|mob|call|calling|fax|office|desk|dial|sms|text me|whatsapp|contact|reach|hotline|number|messages?)\b/i;
const datePattern = /^(?:\d{4}[-./]\d{1,2}[-./]\d{1,2}|\d{1,2}[-./]\d{1,2}[-./]\d{4})(?:$|[ T]\d)/;
// Words that say the number is something else: identity documents, postal codes, orders, accounts.
const notPhoneContext = /\b(?:licen[cs]e|passport|zip|postal|postcode|order|invoice|account|acct|iban|ssn|serial|ticket|isbn|id)\b/i;
const extensionPattern = /\s?(?:x|ext\.?|extension)\s?\d{1,6}$/i;

export interface PhoneDetectorOptions {
  regions?: readonly CountryCode[];
}

/** Returns a phone detector for the given regions. */
export function createPhoneDetector(options: PhoneDetectorOptions = {}): (text: string) => Finding[] {
  const regions = options.regions ?? defaultPhoneRegions;
  return (text) => detectPhones(text, regions);
}

/** libphonenumber parses cost tens of microseconds; a text with more candidates than this is a table. */
const maximumCandidates = 64;

function detectPhones(text: string, regions: readonly CountryCode[]): Finding[] {
  const findings: Finding[] = [];
  let candidates = 0;
  for (const match of text.matchAll(candidatePattern)) {
    // A run may join two numbers written one after another; the pattern never crosses a line break
    // or two spaces, so split on those before judging.
    let offset = 0;
    for (const piece of match[0].split(/(?= {2})/)) {
      const trimmedStart = piece.length - piece.trimStart().length;
      const value = piece.trim().replace(/[.(-]+$/, '');
      const start = match.index + offset + trimmedStart;
      offset += piece.length;
      candidates += 1;
      const finding = judgeCandidate(text, value, start, candidates <= maximumCandidates ? regions : undefined);
      if (finding) findings.push(finding);
    }
  }
  return findings;
}

/** `regions` undefined: over the candidate budget, judge by shape and context only. */
function judgeCandidate(text: string, value: string, start: number, regions: readonly CountryCode[] | undefined): Finding | undefined {
  const core = value.replace(extensionPattern, '');
  const digitCount = core.replace(/\D/g, '').length;
  if (digitCount < 7 || digitCount > 15 || datePattern.test(core)) return undefined;
  // Two digit groups ("370 3911") are as often a house number and a postcode, one unbroken string as
  // often an id: such shapes need a context word. A '+', parentheses, three or more groups or an
  // extension are how people write phone numbers.
  const groupLengths = core.split(/[ ().-]+/).filter(Boolean).map((group) => group.length);
  const groups = groupLengths.length;
  // Nobody writes a phone number as "1 2 3 4 5 6 7": too many groups or single digits is a list or a table.
  if (groups > 7 || groupLengths.filter((length) => length === 1).length > 2) return undefined;
  const strongShape = core.startsWith('+') || core.startsWith('00') || core.includes('(') || groups >= 3 || core !== value;
  const end = start + value.length;
  // "invoice 123 4567" is an invoice number even when "number" or "call" is nearby.
  if (notPhoneContext.test(text.slice(Math.max(0, start - 20), start))) return undefined;
  const context = hasContextWord(text, start, end, phoneContext, 40);
  const verdict = regions ? libraryVerdict(core, regions) : 'none';
  let score: number;
  if (verdict === 'valid') score = strongShape ? 0.85 : 0.45;
  else if (verdict === 'possible') score = strongShape ? 0.5 : 0.3;
  else score = strongShape ? 0.3 : 0.1;
  if (context) score = Math.min(1, score + 0.35);
  return score >= 0.3 ? { type: 'phone', start, end, score } : undefined;
}

function libraryVerdict(core: string, regions: readonly CountryCode[]): 'valid' | 'possible' | 'none' {
  const international = core.startsWith('+') ? core : core.startsWith('00') ? `+${core.slice(2)}` : undefined;
  let possible = false;
  const attempts = international ? [undefined] : regions;
  for (const region of attempts) {
    const parsed = parsePhoneNumberFromString(international ?? core, region);
    if (!parsed) continue;
    if (parsed.isValid()) return 'valid';
    if (parsed.isPossible()) possible = true;
  }
  return possible ? 'possible' : 'none';
}
