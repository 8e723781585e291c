/**
 * Reversible masking helpers: replace found values with typed placeholders (`[EMAIL_1]`) and put them
 * back in a model's answer. Pure functions; the vault is a plain, serialisable record the caller keeps
 * (per conversation, with a TTL) and passes back in, so numbering stays stable across turns.
 */
import type { Finding } from '../scanner.js';

/** Placeholder -> original value. Never log it or send it upstream. */
export type MaskingVault = Readonly<Record<string, string>>;

export interface MaskOptions {
  /** A vault from earlier turns: values already in it keep their placeholder. */
  vault?: MaskingVault;
  /** Finding types replaced by `[TYPE_REDACTED]` and not stored (secrets should never come back). */
  irreversibleTypes?: ReadonlySet<string>;
}

export interface MaskResult {
  text: string;
  /** The input vault plus any new entries. */
  vault: MaskingVault;
}

/** The placeholder label for a finding type: `credit_card` -> `CREDIT_CARD`, `email` -> `EMAIL`. */
export function placeholderLabel(type: string): string {
  return type.toUpperCase().replace(/[^A-Z0-9]+/g, '_').replace(/^_+|_+$/g, '') || 'VALUE';
}

/**
 * Replaces each finding's span with a placeholder. Overlapping findings are resolved first: the higher
 * score wins, then the longer span (so a secret beats the URL it sits in). The same value of the same
 * label always gets the same placeholder; a placeholder that already appears literally in `text` is
 * skipped so restoring can never turn the user's own text into someone's value.
 */
export function maskFindings(text: string, findings: readonly Finding[], options: MaskOptions = {}): MaskResult {
  const vault: Record<string, string> = { ...options.vault };
  const selected = selectNonOverlapping(findings, text.length);
  if (selected.length === 0) return { text, vault };
  const placeholderByValue = new Map<string, string>();
  const nextNumber = new Map<string, number>();
  for (const [placeholder, value] of Object.entries(vault)) {
    const parsed = /^\[([A-Z0-9_]+)_(\d+)\]$/.exec(placeholder);
    if (!parsed) continue;
    placeholderByValue.set(`${parsed[1]}\u0000${value}`, placeholder);
    nextNumber.set(parsed[1], Math.max(nextNumber.get(parsed[1]) ?? 1, Number(parsed[2]) + 1));
  }
  let output = '';
  let cursor = 0;
  for (const finding of selected) {
    const value = text.slice(finding.start, finding.end);
    const label = placeholderLabel(finding.type);
    let placeholder: string;
    if (options.irreversibleTypes?.has(finding.type)) placeholder = `[${label}_REDACTED]`;
    else {
      const key = `${label}\u0000${value}`;
      placeholder = placeholderByValue.get(key) ?? '';
      if (!placeholder) {
        let number = nextNumber.get(label) ?? 1;
        while (text.toUpperCase().includes(`${label}_${number}`)) number += 1;
        placeholder = `[${label}_${number}]`;
        nextNumber.set(label, number + 1);
        placeholderByValue.set(key, placeholder);
        vault[placeholder] = value;
      }
    }
    output += text.slice(cursor, finding.start) + placeholder;
    cursor = finding.end;
  }
  return { text: output + text.slice(cursor), vault };
}

function selectNonOverlapping(findings: readonly Finding[], length: number): Finding[] {
  const valid = findings.filter((finding) => finding.start >= 0 && finding.end <= length && finding.end > finding.start);
  const byPriority = [...valid].sort(
    (left, right) => right.score - left.score || right.end - right.start - (left.end - left.start) || left.start - right.start,
  );
  const chosen: Finding[] = [];
  for (const candidate of byPriority) {
    if (chosen.every((kept) => candidate.end <= kept.start || candidate.start >= kept.end)) chosen.push(candidate);
  }
  return chosen.sort((left, right) => left.start - right.start);
}

// `[EMAIL_1]`, `EMAIL_1`, `<email_1>`, `{EMAIL 1}`, `\[EMAIL_1\]`, `**[EMAIL_1]**`: brackets optional,
// any case, underscore or space before the number. The label must not be glued to a longer word.
const placeholderInAnswer = /(\\?[[<{(]\s?)?(?<![A-Za-z0-9_])([A-Za-z][A-Za-z0-9]*(?:[_ ][A-Za-z][A-Za-z0-9]*){0,3})[_ ](\d{1,6})(?![A-Za-z0-9_])(\s?\\?[\]>})])?/g;

/**
 * Puts original values back where the answer mentions a placeholder from `vault`, tolerating the edits
 * models make (dropped or changed brackets, case, a space instead of the underscore). Text that looks
 * like a placeholder but is not in the vault is left as it is.
 */
export function restorePlaceholders(text: string, vault: MaskingVault): string {
  if (Object.keys(vault).length === 0) return text;
  return text.replace(placeholderInAnswer, (whole, open: string | undefined, label: string, number: string, close: string | undefined) => {
    // The label pattern may have swallowed words before the placeholder ("mail EMAIL 1"): try suffixes.
    const words = label.split(/[_ ]/);
    let wordStart = 0;
    for (let index = 0; index < words.length; index += 1) {
      const placeholder = `[${words.slice(index).join('_').toUpperCase()}_${Number(number)}]`;
      const value = vault[placeholder];
      if (value !== undefined) {
        const prefix = label.slice(0, wordStart);
        // A bracket counts as the placeholder's own only when it sits right next to it on both sides.
        const ownBrackets = index === 0 && open && close;
        const before = (open ?? '') + prefix;
        return ownBrackets ? value : before + value + (close ?? '');
      }
      wordStart += words[index].length + 1;
    }
    return whole;
  });
}
