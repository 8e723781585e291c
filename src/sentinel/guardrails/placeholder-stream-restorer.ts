/**
 * Puts masked values back into a streamed answer. A placeholder may arrive split across chunks at any
 * boundary (`[EMA` + `IL_1]`), so the restorer holds back the shortest tail that could still become a
 * placeholder from the vault (at most the longest placeholder form plus a few leading words, under a hundred characters) and releases
 * the rest restored. The result equals `restorePlaceholders` over the whole text.
 */
import { restorePlaceholders, type MaskingVault } from '../scanners/masking.js';

const wordCharacter = /[A-Za-z0-9_]/;
const openCharacters = '[<{(';
// Characters of leading words ("mail EMAIL 1") a held tail may carry; longer words are cut (inexact, rare).
const maximumPrefixWords = 48;

/** Restores one stream of text (one choice's text, or one tool call's arguments). */
export class PlaceholderStreamRestorer {
  private pending = '';
  private previousCharacter = '';
  private readonly labels: string[];
  private readonly maximumHoldBack: number;
  private readonly vault: MaskingVault;

  /** `escape` turns a value into what is spliced in (e.g. JSON string escaping for tool-call arguments). */
  constructor(vault: MaskingVault, escape?: (value: string) => string) {
    this.vault = escape === undefined ? vault : Object.fromEntries(Object.entries(vault).map(([placeholder, value]) => [placeholder, escape(value)]));
    const labels = new Set<string>();
    for (const placeholder of Object.keys(vault)) {
      const parsed = /^\[([A-Z0-9_]+)_\d+\]$/.exec(placeholder);
      if (parsed) labels.add(parsed[1].toLowerCase());
    }
    this.labels = [...labels];
    // Opening bracket with backslash and space, label, separator, six digits, space, backslash, closing bracket.
    this.maximumHoldBack = Math.max(0, ...this.labels.map((label) => label.length)) + 14 + maximumPrefixWords;
  }

  /** Adds a chunk; returns the restored text that is safe to send now (possibly empty). */
  push(delta: string): string {
    if (this.labels.length === 0) return delta;
    const buffer = this.pending + delta;
    const cut = this.safeLength(buffer);
    const released = buffer.slice(0, cut);
    this.pending = buffer.slice(cut);
    return this.restore(released);
  }

  /**
   * Restores released text. A word character sent just before it is put in front while restoring (and
   * taken off after), so `x` + `EMAIL_1` stays as it is, as it would in the whole text.
   */
  private restore(released: string): string {
    if (released.length === 0) return '';
    const context = wordCharacter.test(this.previousCharacter) ? this.previousCharacter : '';
    this.previousCharacter = released[released.length - 1];
    return restorePlaceholders(context + released, this.vault).slice(context.length);
  }

  /** The held-back rest, restored; call once when the stream of this text ends. */
  flush(): string {
    const rest = this.pending;
    this.pending = '';
    return this.restore(rest);
  }

  /**
   * The length of the prefix no placeholder can straddle: the text is cut only where a placeholder match
   * could start (after a character that is not a word character, or at an opening bracket), and never
   * inside the trailing word, so the next piece is restored with the same context as in the whole text.
   */
  private safeLength(buffer: string): number {
    const windowStart = Math.max(0, buffer.length - this.maximumHoldBack);
    let trailingWordStart = buffer.length;
    while (trailingWordStart > windowStart && wordCharacter.test(buffer[trailingWordStart - 1])) trailingWordStart -= 1;
    for (let start = windowStart; start < trailingWordStart; start += 1) {
      const before = start === 0 ? this.previousCharacter : buffer[start - 1];
      const opensHere = buffer[start] === '\\' || openCharacters.includes(buffer[start]);
      if (!opensHere && wordCharacter.test(before)) continue;
      if (this.couldBecomePlaceholder(buffer.slice(start))) return start;
    }
    return trailingWordStart;
  }

  /**
   * Whether `text` is the beginning of a placeholder form `restorePlaceholders` accepts that more text could
   * still complete or change (`[EMAIL_1` may yet get its `]`; `EMAIL_1` may become `EMAIL_12`).
   */
  private couldBecomePlaceholder(text: string): boolean {
    let position = 0;
    if (text[position] === '\\') {
      position += 1;
      if (position === text.length) return true;
      if (!openCharacters.includes(text[position])) return false;
    }
    if (openCharacters.includes(text[position])) {
      position += 1;
      if (position === text.length) return true;
      if (/\s/.test(text[position])) position += 1;
      if (position === text.length) return true;
    }
    const rest = text.slice(position);
    // `restorePlaceholders` lets up to three words come before the label ("mail EMAIL 1").
    for (let offset = 0, words = 0; offset <= rest.length && words <= 3; ) {
      const tail = rest.slice(offset);
      if (this.labels.some((label) => continuesLabel(tail, label))) return true;
      const word = /^[A-Za-z][A-Za-z0-9]*[_ ]/.exec(tail);
      if (word === null) return false;
      offset += word[0].length;
      words += 1;
    }
    return false;
  }
}

function continuesLabel(rest: string, label: string): boolean {
  let position = 0;
  for (; position < label.length; position += 1) {
    if (position === rest.length) return true;
    const character = rest[position].toLowerCase();
    if (label[position] === '_' ? character !== '_' && character !== ' ' : character !== label[position]) return false;
  }
  if (position === rest.length) return true;
  if (rest[position] !== '_' && rest[position] !== ' ') return false;
  position += 1;
  let digits = 0;
  while (position < rest.length && rest[position] >= '0' && rest[position] <= '9') {
    position += 1;
    digits += 1;
  }
  if (digits > 6) return false;
  if (position === rest.length) return true;
  if (digits === 0) return false;
  if (/\s/.test(rest[position])) position += 1;
  if (position === rest.length) return true;
  if (rest[position] === '\\') position += 1;
  if (position === rest.length) return true;
  // A closing bracket completes it; anything else means the placeholder (if any) is already decided.
  return false;
}
