/**
 * A small, conservative checker for regular expressions supplied in configuration. JavaScript's engine
 * backtracks, so a pattern such as `(a+)+$` takes exponential time on a crafted input and would stall
 * the gateway's event loop. We refuse, at config time:
 * - nested unbounded quantifiers (star height > 1): `(a+)+`, `(\w*\s?)*`, `(?:x+y?){2,}`;
 * - repeated alternations whose branches can start with the same character: `(a|a)*`, `(\w|\d)+`, `(a|)*`;
 * - back-references (`\1`, `\k<name>`), which take the engine out of any linear bound;
 * - patterns longer than 1,000 characters or that do not compile.
 * It may refuse a few safe patterns (it reasons about first characters only); it never runs the regex.
 */

export interface RegexSafetyVerdict {
  safe: boolean;
  /** Why the pattern was refused (absent when safe). */
  reason?: string;
}

const maximumPatternLength = 1000;
/** A bounded repeat at least this large is treated like `*` (e.g. `{0,1000}`). */
const largeRepeat = 16;
const alphabet = 129; // ASCII 0..127 plus one slot for "any other character"

type CharSet = Uint8Array;

interface Atom {
  first: CharSet;
  /** The atom contains an unbounded (or large) quantifier. */
  unbounded: boolean;
  /** The atom is a group whose alternatives can start with the same character. */
  ambiguous: boolean;
}

interface Frame {
  alternatives: Atom[][];
}

/** Checks `pattern` (the source, without slashes) compiled with `flags`. */
export function checkRegexSafety(pattern: string, flags = ''): RegexSafetyVerdict {
  if (pattern.length > maximumPatternLength) return refuse(`pattern longer than ${maximumPatternLength} characters`);
  try {
    new RegExp(pattern, flags);
  } catch (error) {
    return refuse(`does not compile: ${(error as Error).message}`);
  }
  const ignoreCase = flags.includes('i');
  const stack: Frame[] = [{ alternatives: [[]] }];
  const current = (): Atom[] => {
    const frame = stack[stack.length - 1];
    return frame.alternatives[frame.alternatives.length - 1];
  };
  for (let index = 0; index < pattern.length; ) {
    const character = pattern[index];
    if (character === '\\') {
      const next = pattern[index + 1];
      if (/[1-9]/.test(next) || (next === 'k' && pattern[index + 2] === '<')) return refuse('back-references are not allowed');
      current().push(plainAtom(escapeSet(next, ignoreCase)));
      index += next === 'u' || next === 'x' || next === 'p' || next === 'P' || next === 'c' ? skipEscape(pattern, index) : 2;
    } else if (character === '[') {
      const end = classEnd(pattern, index);
      current().push(plainAtom(classSet(pattern.slice(index + 1, end), ignoreCase)));
      index = end + 1;
    } else if (character === '(') {
      const lookaround = /^\(\?(?:[=!]|<[=!])/.test(pattern.slice(index, index + 4));
      stack.push({ alternatives: [[]] });
      if (lookaround) current().push(plainAtom(new Uint8Array(alphabet))); // zero-width marker
      const named = /^\(\?<[A-Za-z_$][\w$]*>/.exec(pattern.slice(index));
      index += named ? named[0].length : pattern[index + 1] === '?' ? (lookaround && pattern[index + 2] === '<' ? 4 : 3) : 1;
    } else if (character === ')') {
      const frame = stack.pop()!;
      const atom = closeGroup(frame);
      current().push(atom);
      index += 1;
    } else if (character === '|') {
      stack[stack.length - 1].alternatives.push([]);
      index += 1;
    } else if (character === '*' || character === '+' || character === '?' || character === '{') {
      const quantifier = readQuantifier(pattern, index);
      if (!quantifier) {
        current().push(plainAtom(literalSet(character, ignoreCase)));
        index += 1;
        continue;
      }
      index = quantifier.end;
      const atoms = current();
      const atom = atoms[atoms.length - 1];
      if (!atom) continue;
      const repeating = quantifier.max === Infinity || quantifier.max >= largeRepeat;
      if (repeating && atom.unbounded) return refuse('nested quantifiers (star height > 1) can backtrack exponentially');
      if (repeating && atom.ambiguous) return refuse('a repeated alternation whose branches overlap can backtrack exponentially');
      if (repeating) atom.unbounded = true;
      if (quantifier.min === 0) atom.first = fullSet(); // an optional atom lets the next one start the match
    } else if (character === '^' || character === '$') {
      index += 1;
    } else {
      current().push(plainAtom(character === '.' ? fullSet() : literalSet(character, ignoreCase)));
      index += 1;
    }
  }
  return { safe: true };
}

function refuse(reason: string): RegexSafetyVerdict {
  return { safe: false, reason };
}

function plainAtom(first: CharSet): Atom {
  return { first, unbounded: false, ambiguous: false };
}

function closeGroup(frame: Frame): Atom {
  const firsts = frame.alternatives.map((atoms) => (atoms.length === 0 ? fullSet() : atoms[0].first));
  const first = new Uint8Array(alphabet);
  let ambiguous = false;
  for (const set of firsts) {
    for (let slot = 0; slot < alphabet; slot += 1) {
      if (set[slot] && first[slot]) ambiguous = true;
      if (set[slot]) first[slot] = 1;
    }
  }
  if (frame.alternatives.length < 2) ambiguous = false;
  if (frame.alternatives.some((atoms) => atoms.some((atom) => atom.ambiguous))) ambiguous = true;
  const unbounded = frame.alternatives.some((atoms) => atoms.some((atom) => atom.unbounded));
  return { first, unbounded, ambiguous };
}

function readQuantifier(pattern: string, index: number): { min: number; max: number; end: number } | undefined {
  const character = pattern[index];
  let min: number;
  let max: number;
  let end = index + 1;
  if (character === '*') [min, max] = [0, Infinity];
  else if (character === '+') [min, max] = [1, Infinity];
  else if (character === '?') [min, max] = [0, 1];
  else {
    const braces = /^\{(\d+)(,(\d*))?\}/.exec(pattern.slice(index));
    if (!braces) return undefined;
    min = Number(braces[1]);
    max = braces[2] === undefined ? min : braces[3] === '' ? Infinity : Number(braces[3]);
    end = index + braces[0].length;
  }
  if (pattern[end] === '?') end += 1; // lazy quantifiers backtrack just as much
  return { min, max, end };
}

function skipEscape(pattern: string, index: number): number {
  const rest = pattern.slice(index);
  const match = /^\\(?:u\{[0-9A-Fa-f]+\}|u[0-9A-Fa-f]{4}|x[0-9A-Fa-f]{2}|[pP]\{[^}]*\}|c[A-Za-z])/.exec(rest);
  return match ? match[0].length : 2;
}

function classEnd(pattern: string, index: number): number {
  let cursor = index + 1;
  if (pattern[cursor] === '^') cursor += 1;
  if (pattern[cursor] === ']') cursor += 1;
  while (cursor < pattern.length && pattern[cursor] !== ']') cursor += pattern[cursor] === '\\' ? 2 : 1;
  return cursor;
}

function fullSet(): CharSet {
  return new Uint8Array(alphabet).fill(1);
}

function literalSet(character: string, ignoreCase: boolean): CharSet {
  const set = new Uint8Array(alphabet);
  addCharacter(set, character, ignoreCase);
  return set;
}

function addCharacter(set: CharSet, character: string, ignoreCase: boolean): void {
  const code = character.charCodeAt(0);
  if (code >= 128) {
    set[128] = 1;
    return;
  }
  set[code] = 1;
  if (ignoreCase) {
    set[character.toLowerCase().charCodeAt(0)] = 1;
    set[character.toUpperCase().charCodeAt(0)] = 1;
  }
}

const shorthand: Record<string, RegExp> = { d: /\d/, D: /\D/, w: /\w/, W: /\W/, s: /\s/, S: /\S/ };

function escapeSet(letter: string | undefined, ignoreCase: boolean): CharSet {
  if (letter === undefined) return new Uint8Array(alphabet);
  const test = shorthand[letter];
  if (test) {
    const set = new Uint8Array(alphabet);
    for (let code = 0; code < 128; code += 1) if (test.test(String.fromCharCode(code))) set[code] = 1;
    if (letter !== 'd' && letter !== 'w') set[128] = 1;
    return set;
  }
  if (/[bB]/.test(letter)) return new Uint8Array(alphabet); // zero-width, never "starts" a character
  if (/[uxpPc]/.test(letter)) return fullSet(); // code point / property escapes: assume anything
  const controls: Record<string, string> = { n: '\n', r: '\r', t: '\t', f: '\f', v: '\v', '0': '\0' };
  return literalSet(controls[letter] ?? letter, ignoreCase);
}

function classSet(body: string, ignoreCase: boolean): CharSet {
  const negated = body.startsWith('^');
  const source = negated ? body.slice(1) : body;
  let set: CharSet = new Uint8Array(alphabet);
  try {
    const test = new RegExp(`[${source}]`, ignoreCase ? 'iu' : 'u');
    for (let code = 0; code < 128; code += 1) if (test.test(String.fromCharCode(code))) set[code] = 1;
    set[128] = /[^\x00-\x7f]|\\[pPWSD]|\\u/.test(source) ? 1 : 0;
  } catch {
    set = fullSet();
  }
  if (negated) for (let slot = 0; slot < alphabet; slot += 1) set[slot] = set[slot] ? 0 : 1;
  return set;
}
