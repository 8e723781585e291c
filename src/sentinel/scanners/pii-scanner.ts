/**
 * The PII scanner: email, phone, credit card, IBAN, US SSN, IP address and URL, matched on the
 * normalised shadow copy (and inside decoded base64 / hex / url runs) and reported in original offsets.
 */
import type { CountryCode } from 'libphonenumber-js/max';
import { resultFromFindings, type Finding, type Scanner } from '../scanner.js';
import { detectInOriginal } from './detection.js';
import { createPersonDetector } from './person-detector.js';
import { createPhoneDetector } from './phone-detector.js';
import {
  detectCreditCards,
  detectEmails,
  detectIbans,
  detectIpAddresses,
  detectSsns,
  detectUrls,
  piiEntityTypes,
  type PiiEntityType,
} from './pii-detectors.js';

export interface PiiScannerOptions {
  /** Entity types to look for (default: `piiEntityTypes`; add `person` for names, which loads a tagger). */
  entities?: readonly PiiEntityType[];
  /** Regions for phone numbers written without `+country` (default `defaultPhoneRegions`). */
  phoneRegions?: readonly CountryCode[];
  /** Findings scoring below this are dropped (default 0.5). */
  minScore?: number;
}

// A span claimed by one of these wins over a phone candidate made of the same digits.
const overridesPhone = new Set<string>(['credit_card', 'us_ssn', 'ip_address', 'iban', 'email', 'url']);

/** Creates the PII scanner; pass `stage: 'output'` for the copy that scans answers. */
export function createPiiScanner(options: PiiScannerOptions = {}, stage: Scanner['stage'] = 'input'): Scanner {
  const entities = new Set<PiiEntityType>(options.entities ?? piiEntityTypes);
  const minScore = options.minScore ?? 0.5;
  const detectors: ((text: string) => Finding[])[] = [];
  if (entities.has('email')) detectors.push(detectEmails);
  if (entities.has('url')) detectors.push(detectUrls);
  if (entities.has('ip_address')) detectors.push(detectIpAddresses);
  if (entities.has('credit_card')) detectors.push(detectCreditCards);
  if (entities.has('iban')) detectors.push(detectIbans);
  if (entities.has('us_ssn')) detectors.push(detectSsns);
  const detectPhones = entities.has('phone') ? createPhoneDetector({ regions: options.phoneRegions }) : undefined;
  // Names come last: the validated types above win where a tagger guess overlaps them.
  const detectPeople = entities.has('person') ? createPersonDetector() : undefined;

  const detect = (text: string): Finding[] => {
    const findings: Finding[] = [];
    for (const detector of detectors) for (const finding of detector(text)) if (finding.score >= minScore) findings.push(finding);
    if (detectPhones) {
      for (const phone of detectPhones(text)) {
        if (phone.score < minScore) continue;
        const claimed = findings.some((other) => overridesPhone.has(other.type) && other.start < phone.end && phone.start < other.end);
        if (!claimed) findings.push(phone);
      }
    }
    if (detectPeople) {
      for (const person of detectPeople(text)) {
        if (!findings.some((other) => other.start < person.end && person.start < other.end)) findings.push(person);
      }
    }
    return findings;
  };

  return {
    id: 'pii',
    stage,
    scan(text) {
      if (text.length === 0) return resultFromFindings([]);
      return resultFromFindings(detectInOriginal(text, detect));
    },
  };
}
