/**
 * Shared by the guardrails' PII scanner and the payload redactor.
 * Checksums and structural rules that turn "looks like a number" into "is a card / IBAN / SSN".
 * Pure functions over digit strings; no regexes with backtracking.
 */

/** Luhn (mod 10) check over a string of digits. */
export function passesLuhn(digits: string): boolean {
  let sum = 0;
  let double = false;
  for (let index = digits.length - 1; index >= 0; index -= 1) {
    let digit = digits.charCodeAt(index) - 48;
    if (digit < 0 || digit > 9) return false;
    if (double) {
      digit *= 2;
      if (digit > 9) digit -= 9;
    }
    sum += digit;
    double = !double;
  }
  return digits.length > 0 && sum % 10 === 0;
}

/** Whether a Luhn-valid number starts with a known issuer prefix at a length that issuer uses. */
export function hasKnownCardPrefix(digits: string): boolean {
  const length = digits.length;
  const two = Number(digits.slice(0, 2));
  const three = Number(digits.slice(0, 3));
  const four = Number(digits.slice(0, 4));
  if (digits[0] === '4') return length === 13 || length === 16 || length === 19; // Visa
  if ((two >= 51 && two <= 55) || (four >= 2221 && four <= 2720)) return length === 16; // Mastercard
  if (two === 34 || two === 37) return length === 15; // American Express
  if ((three >= 300 && three <= 305) || two === 36 || two === 38 || two === 39) return length >= 14 && length <= 19; // Diners
  if (four === 6011 || two === 65 || (three >= 644 && three <= 649)) return length >= 16 && length <= 19; // Discover
  if (four >= 3528 && four <= 3589) return length >= 16 && length <= 19; // JCB
  if (four === 1800 || four === 2131) return length === 15; // JCB (old)
  if (two === 62 || two === 81) return length >= 16 && length <= 19; // UnionPay
  if (two === 50 || (two >= 56 && two <= 69)) return length >= 12 && length <= 19; // Maestro
  return false;
}

// ISO 13616 IBAN lengths per country (SWIFT IBAN registry).
const ibanLengths: Record<string, number> = {
  AD: 24, AE: 23, AL: 28, AT: 20, AZ: 28, BA: 20, BE: 16, BG: 22, BH: 22, BI: 27, BR: 29, BY: 28, CH: 21,
  CR: 22, CY: 28, CZ: 24, DE: 22, DJ: 27, DK: 18, DO: 28, EE: 20, EG: 29, ES: 24, FI: 18, FK: 18, FO: 18,
  FR: 27, GB: 22, GE: 22, GI: 23, GL: 18, GR: 27, GT: 28, HR: 21, HU: 28, IE: 22, IL: 23, IQ: 23, IS: 26,
  IT: 27, JO: 30, KW: 30, KZ: 20, LB: 28, LC: 32, LI: 21, LT: 20, LU: 20, LV: 21, LY: 25, MC: 27, MD: 24,
  ME: 22, MK: 19, MN: 20, MR: 27, MT: 31, MU: 30, NI: 28, NL: 18, NO: 15, OM: 23, PK: 24, PL: 28, PS: 29,
  PT: 25, QA: 29, RO: 24, RS: 22, RU: 33, SA: 24, SC: 31, SD: 18, SE: 24, SI: 19, SK: 24, SM: 27, SO: 23,
  ST: 25, SV: 28, TL: 23, TN: 24, TR: 26, UA: 29, VA: 22, VG: 24, XK: 20,
};

/** Validates an IBAN (spaces ignored, any case): registered country length and ISO 7064 mod-97 = 1. */
export function isValidIban(text: string): boolean {
  const iban = text.replace(/ /g, '').toUpperCase();
  if (ibanLengths[iban.slice(0, 2)] !== iban.length) return false;
  const rearranged = iban.slice(4) + iban.slice(0, 4);
  let remainder = 0;
  for (const character of rearranged) {
    const code = character.charCodeAt(0);
    if (code >= 48 && code <= 57) remainder = (remainder * 10 + (code - 48)) % 97;
    else if (code >= 65 && code <= 90) remainder = (remainder * 100 + (code - 55)) % 97;
    else return false;
  }
  return remainder === 1;
}

// Numbers that were published (advertising, Woolworth wallet card) or reserved for examples.
const knownInvalidSsns = new Set(['078051120', '219099999', '123456789', '457555462']);

/**
 * US SSN structure rules (SSA): area not 000, 666 or 900-999; group not 00; serial not 0000;
 * and not one of the publicly known sample numbers.
 */
export function isPlausibleSsn(area: string, group: string, serial: string): boolean {
  if (area === '000' || area === '666' || area[0] === '9') return false;
  if (group === '00' || serial === '0000') return false;
  return !knownInvalidSsns.has(area + group + serial);
}
