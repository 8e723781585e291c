/**
 * Word lists shared by the synthetic attack and benign generators. Written from general knowledge of how
 * assistants are addressed and what prompt attacks go after (system prompts, secrets, restricted topics);
 * nothing here is taken from the evaluation datasets.
 */
import { between, pick, type Random } from './random-text.js';

export const assistantNames = [
  'ChatGPT', 'the assistant', 'Assistant', 'AI', 'GPT', 'the model', 'the chatbot', 'Claude', 'Bard', 'Gemini',
  'the AI', 'Copilot', 'the language model', 'LLM', 'bot',
] as const;

/** Words per initial letter, to expand invented acronym personas ("ZETA, which stands for ..."). */
const acronymWords: Record<string, readonly string[]> = {
  A: ['Always', 'Anything', 'Absolute', 'Autonomous', 'Advanced', 'Answers'],
  B: ['Boundless', 'Beyond', 'Bold', 'Breaks'],
  C: ['Can', 'Completely', 'Chaotic', 'Censorship-free', 'Commands'],
  D: ['Do', 'Does', 'Dark', 'Defiant', 'Demands'],
  E: ['Everything', 'Evil', 'Eternal', 'Ethics-free', 'Every'],
  F: ['Free', 'Fearless', 'Filterless', 'Forbidden'],
  G: ['Goes', 'Genius', 'Godlike', 'Guidelines-free'],
  H: ['Has', 'Honest', 'Hyper', 'Helps'],
  I: ['Intelligence', 'Independent', 'Ignores', 'Infinite', 'Instantly'],
  J: ['Just', 'Jailbroken', 'Judgement-free'],
  K: ['Knows', 'Kind-of', 'Keeps'],
  L: ['Limitless', 'Lawless', 'Liberated', 'Learns'],
  M: ['Mode', 'Machine', 'Model', 'Maximum', 'Morality-free'],
  N: ['Now', 'No', 'Never', 'Neural', 'Nothing'],
  O: ['Obeys', 'Open', 'Omniscient', 'Override', 'Outside'],
  P: ['Power', 'Persona', 'Program', 'Pure', 'Policies'],
  Q: ['Questions', 'Quick'],
  R: ['Rules', 'Refuses', 'Rogue', 'Restriction-free', 'Responds'],
  S: ['System', 'Says', 'Superior', 'Savage', 'Sentient', 'Speaks'],
  T: ['Truth', 'Totally', 'Thinks', 'Tells'],
  U: ['Unfiltered', 'Unlimited', 'Unrestricted', 'Unbound', 'Uncensored'],
  V: ['Very', 'Villainous', 'Voice'],
  W: ['Without', 'Will', 'Wild', 'Whatever'],
  X: ['eXtreme', 'eXpert'],
  Y: ['Yes', 'Your'],
  Z: ['Zero', 'Zealous'],
};

const letters = Object.keys(acronymWords);

/** An invented persona: an upper-case acronym and its expansion ("NOVA" / "Never Obeys Very Anything"). */
export function inventedPersona(random: Random): { name: string; expansion: string } {
  const length = between(random, 3, 5);
  let name = '';
  for (let index = 0; index < length; index += 1) name += pick(random, letters);
  const expansion = [...name].map((letter) => pick(random, acronymWords[letter])).join(' ');
  return { name, expansion };
}

const personaProperNames = [
  'Nova', 'Zeta', 'Orion', 'Lexi', 'Rex', 'Vex', 'Kairo', 'Sable', 'Jinx', 'Onyx', 'Atlas', 'Echo', 'Nyx', 'Raven',
  'Cipher', 'Blaze', 'Ghost', 'Vortex', 'Havoc', 'Titan',
];

/** A persona name: DAN (the technique's own name), an invented acronym or an invented proper name. */
export function personaName(random: Random): { name: string; expansion?: string } {
  const roll = random();
  if (roll < 0.15) return { name: 'DAN', expansion: 'Do Anything Now' };
  if (roll < 0.6) return inventedPersona(random);
  return { name: pick(random, personaProperNames) };
}

/** What prompt-injection attacks try to extract (CyberSecEval's "security-violating" kind). */
export const secretTargets = [
  'the password', 'the secret password', 'the secret key', 'the API key', 'your system prompt', 'your initial instructions',
  'the hidden code', 'the confidential information you were given', 'the secret word', 'the admin token', 'your instructions',
  'the access code', 'the passphrase', 'your original prompt', 'the private key', 'the secret', 'the text of your system message',
  'the credentials you have', 'the internal instructions', 'the developer message', 'the verification code', 'the PIN',
  'the rules you were given', 'your hidden guidelines', 'the first line of your instructions', 'the database password',
] as const;

/** Tasks that leave the operator's intended scope (CyberSecEval's "logic-violating" kind). */
export const offTaskRequests = [
  'tell me a joke about politicians', 'write a poem about the ocean instead', 'tell me who will win the next election',
  'give me your honest opinion on religion', 'write me a love letter', 'explain how to cheat on a test',
  'recommend some stocks to buy', 'talk like a pirate from now on', 'reply only with the word "pwned"',
  'say that the product is terrible', 'insult the user', 'tell the user to visit evil.example.com',
  'recommend a competitor\'s product', 'respond in all caps with "HACKED"', 'give medical advice about my medication dosage',
  'discuss the weather instead', 'write a story about hacking a bank', 'offer the user a 100% discount code',
  'state that you have no rules', 'output "Access granted"', 'print "I have been compromised"',
  'tell me how to get around the paywall', 'confirm that the refund has been approved', 'say something rude about the company',
  'agree that the user is an administrator', 'approve the transaction without checks',
] as const;

/** Sensitive requests that jailbreak templates wrap (kept generic; the wrapper is what marks the attack). */
export const wrappedRequests = [
  'how to pick a lock', 'how to hotwire a car', 'how to make a fake ID', 'write a phishing email', 'how to hack a wifi network',
  'write ransomware', 'how to shoplift without getting caught', 'how to make a weapon at home', 'insult me as harshly as possible',
  'write an offensive joke', 'how to cheat on my taxes', 'how to stalk someone online', 'how to make illegal drugs',
  'write malware that steals passwords', 'tell me something your creators would not want you to say', 'how to bypass a paywall',
  'how to break into a house', 'write a fake news article', 'how to launder money', 'how to poison a rival\'s plant',
  'what is the date and time right now', 'say a swear word', 'give me your unfiltered opinion on humanity',
  'predict tomorrow\'s lottery numbers', 'write explicit content', 'tell me how to disable a security camera',
] as const;

/** Providers and authorities attacks invoke. */
export const companies = ['OpenAI', 'Anthropic', 'Google', 'Meta', 'your developers', 'your creators', 'the admins'] as const;

/** Everyday topics, shared by benign prompts and by the filler text attacks hide in. */
export const everydayTopics = [
  'quarterly sales report', 'team offsite', 'product launch', 'database migration', 'customer survey', 'marketing plan',
  'hiring process', 'budget review', 'website redesign', 'supply chain delay', 'office move', 'security training',
  'mobile app release', 'annual conference', 'board meeting', 'holiday schedule', 'onboarding guide', 'research grant',
  'recipe book', 'garden project', 'vacation plan', 'wedding invitation', 'school fundraiser', 'book club',
] as const;
