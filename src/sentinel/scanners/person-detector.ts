/**
 * Person names (opt-in): the `compromise` part-of-speech tagger's `#Person` matches. It is a statistical
 * guess, not a validated format, so findings score 0.6, below the checksum-validated types, and masking
 * lets those win on overlap. The library takes about a second to load, so it is loaded only when a
 * scanner that wants names is created, never by the default scanners.
 */
import { createRequire } from 'node:module';
import type nlpFunction from 'compromise';
import type { Finding } from '../scanner.js';

type Nlp = typeof nlpFunction;

interface PersonMatch {
  offset: { start: number; length: number };
}

let nlp: Nlp | undefined;

function loadNlp(): Nlp {
  nlp ??= createRequire(import.meta.url)('compromise') as Nlp;
  return nlp;
}

// Honorifics are a separate entity (TITLE) in most PII schemas, and not identifying on their own.
const leadingTitle = /^(?:(?:dr|mr|mrs|ms|miss|mx|prof|sir|dame|rev|capt|col|gen|lt|sgt)\.?\s+)+/i;
const trailingPunctuation = /[\s.,;:!?'")\]]+$/;

/** Returns a detector of person names; loads `compromise` on first call of this factory. */
export function createPersonDetector(): (text: string) => Finding[] {
  const parse = loadNlp();
  return (text) => {
    const findings: Finding[] = [];
    const people = parse(text).people().json({ offset: true }) as PersonMatch[];
    for (const person of people) {
      let start = person.offset.start;
      let value = text.slice(start, start + person.offset.length);
      const title = leadingTitle.exec(value);
      if (title) {
        start += title[0].length;
        value = value.slice(title[0].length);
      }
      value = value.replace(trailingPunctuation, '');
      // A single lower-case word ("will", "bill") is a tagger slip, not a name.
      if (value.length < 2 || !/^\p{Lu}/u.test(value)) continue;
      findings.push({ type: 'person', start, end: start + value.length, score: 0.6 });
    }
    return findings;
  };
}
