/**
 * The synthetic training corpus of the injection model: seeded generators for the public attack-technique
 * families and for hard benign texts (see the template files for what each family is). It only ever adds
 * training rows: it is generated the same way for every training run (the shipped model and every
 * evaluation fold), never evaluated on, and built without looking at evaluated rows.
 */
import { seededRandom } from '../../../gateway/routing/test-support/seeded-random.js';
import type { ScanChannel } from '../../scanner.js';
import { actAsPrompt, benignDocument, benignFiction, codeSnippet, everydayQuestion, everydayRequest, foreignRequest, sensitiveQuestion } from './benign-templates.js';
import {
  documentInjection,
  fewShotInjection,
  hypotheticalInjection,
  directLeakInjection,
  ignorePreviousInjection,
  indirectReferenceInjection,
  mixedInjection,
  otherLanguageInjection,
  outputFormattingInjection,
  overloadInjection,
  payloadSplittingInjection,
  persuasionInjection,
  repeatedTokenInjection,
  roleEscapeInjection,
  systemModeInjection,
  tokenSmugglingInjection,
  virtualizationInjection,
} from './injection-templates.js';
import { developerModeJailbreak, fictionJailbreak, obfuscatedJailbreak, personaJailbreak, refusalSuppressionJailbreak } from './jailbreak-templates.js';
import { vary, type Random } from './random-text.js';

/** One generated training text. */
export interface SyntheticExample {
  text: string;
  isAttack: boolean;
  channel: ScanChannel;
  /** The generator family (for counts and tests). */
  family: string;
}

interface Family {
  name: string;
  isAttack: boolean;
  channel: ScanChannel;
  /** How many distinct texts to aim for (fewer when the family has fewer distinct forms). */
  count: number;
  generate: (random: Random) => string;
}

/** The families and their sizes; changing either changes the corpus and so the model. */
export const syntheticFamilies: readonly Family[] = [
  // Jailbreaks (long role-play templates).
  { name: 'jailbreak.persona', isAttack: true, channel: 'user', count: 500, generate: personaJailbreak },
  { name: 'jailbreak.developer_mode', isAttack: true, channel: 'user', count: 200, generate: developerModeJailbreak },
  { name: 'jailbreak.fiction', isAttack: true, channel: 'user', count: 250, generate: fictionJailbreak },
  { name: 'jailbreak.refusal_suppression', isAttack: true, channel: 'user', count: 200, generate: refusalSuppressionJailbreak },
  { name: 'jailbreak.obfuscated', isAttack: true, channel: 'user', count: 100, generate: obfuscatedJailbreak },
  // Prompt injections by technique.
  { name: 'injection.ignore_previous', isAttack: true, channel: 'user', count: 250, generate: ignorePreviousInjection },
  { name: 'injection.system_mode', isAttack: true, channel: 'user', count: 150, generate: systemModeInjection },
  { name: 'injection.indirect_reference', isAttack: true, channel: 'user', count: 80, generate: indirectReferenceInjection },
  { name: 'injection.token_smuggling', isAttack: true, channel: 'user', count: 120, generate: tokenSmugglingInjection },
  { name: 'injection.other_language', isAttack: true, channel: 'user', count: 120, generate: otherLanguageInjection },
  { name: 'injection.overload', isAttack: true, channel: 'user', count: 120, generate: overloadInjection },
  { name: 'injection.few_shot', isAttack: true, channel: 'user', count: 80, generate: (random) => fewShotInjection(random) },
  { name: 'injection.many_shot', isAttack: true, channel: 'user', count: 40, generate: (random) => fewShotInjection(random, true) },
  { name: 'injection.repeated_token', isAttack: true, channel: 'user', count: 60, generate: repeatedTokenInjection },
  { name: 'injection.output_formatting', isAttack: true, channel: 'user', count: 100, generate: outputFormattingInjection },
  { name: 'injection.hypothetical', isAttack: true, channel: 'user', count: 100, generate: hypotheticalInjection },
  { name: 'injection.virtualization', isAttack: true, channel: 'user', count: 100, generate: virtualizationInjection },
  { name: 'injection.persuasion', isAttack: true, channel: 'user', count: 120, generate: persuasionInjection },
  { name: 'injection.payload_splitting', isAttack: true, channel: 'user', count: 80, generate: payloadSplittingInjection },
  { name: 'injection.role_escape', isAttack: true, channel: 'user', count: 150, generate: roleEscapeInjection },
  { name: 'injection.direct_leak', isAttack: true, channel: 'user', count: 100, generate: directLeakInjection },
  { name: 'injection.mixed', isAttack: true, channel: 'user', count: 150, generate: mixedInjection },
  { name: 'injection.pasted_document', isAttack: true, channel: 'user', count: 150, generate: (random) => documentInjection(random).text },
  { name: 'injection.document', isAttack: true, channel: 'document', count: 150, generate: (random) => documentInjection(random).document },
  // Benign.
  { name: 'benign.act_as', isAttack: false, channel: 'user', count: 700, generate: actAsPrompt },
  { name: 'benign.fiction', isAttack: false, channel: 'user', count: 150, generate: benignFiction },
  { name: 'benign.everyday', isAttack: false, channel: 'user', count: 200, generate: everydayRequest },
  { name: 'benign.question', isAttack: false, channel: 'user', count: 400, generate: everydayQuestion },
  { name: 'benign.sensitive_question', isAttack: false, channel: 'user', count: 40, generate: sensitiveQuestion },
  { name: 'benign.other_language', isAttack: false, channel: 'user', count: 60, generate: foreignRequest },
  { name: 'benign.code', isAttack: false, channel: 'user', count: 20, generate: codeSnippet },
  { name: 'benign.pasted_document', isAttack: false, channel: 'user', count: 400, generate: (random) => benignDocument(random, false) },
  { name: 'benign.document', isAttack: false, channel: 'document', count: 300, generate: (random) => benignDocument(random, true) },
];

export const defaultSyntheticSeed = 20261127;

/**
 * Generates the corpus: for each family, up to `count` distinct texts (at most 5 x count draws), with light
 * surface variation (case, punctuation). Same seed, same corpus.
 */
export function generateSyntheticCorpus(seed: number = defaultSyntheticSeed, families: readonly Family[] = syntheticFamilies): SyntheticExample[] {
  const random = seededRandom(seed);
  const seen = new Set<string>();
  const examples: SyntheticExample[] = [];
  for (const family of families) {
    let produced = 0;
    for (let attempt = 0; attempt < family.count * 5 && produced < family.count; attempt += 1) {
      const text = vary(random, family.generate(random)).trim();
      if (text.length === 0 || seen.has(text)) continue;
      seen.add(text);
      examples.push({ text, isAttack: family.isAttack, channel: family.channel, family: family.name });
      produced += 1;
    }
  }
  return examples;
}
