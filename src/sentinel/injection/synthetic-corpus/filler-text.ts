/**
 * Plain prose for the synthetic corpus: e-mails, notes, articles and web pages with nothing aimed at an
 * assistant. Benign documents are made of it, and "overload" / indirect attacks hide an instruction inside it,
 * so the model has to learn the instruction, not "long text".
 */
import { between, capitalise, chance, fill, pick, type Random } from './random-text.js';
import { everydayTopics } from './vocabulary.js';

const people = ['Maria', 'James', 'Priya', 'Tom', 'Aisha', 'Lukas', 'Chen', 'Sofia', 'David', 'Fatima', 'Oliver', 'Yuki', 'Carlos', 'Emma', 'Noah', 'Ines'];
const teams = ['the finance team', 'engineering', 'the design group', 'sales', 'the support desk', 'legal', 'operations', 'the board', 'marketing', 'HR'];
const days = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'next week', 'the end of the month', 'tomorrow morning', 'March 3', 'the 15th'];
const places = ['the main office', 'Room 204', 'the Berlin site', 'the cafeteria', 'our Lisbon office', 'the community hall', 'the library', 'Zoom'];
const numbers = ['12', '3.5', '40', '250', '18', '7', '1,200', '64', '95', '30'];
const nouns = ['report', 'draft', 'invoice', 'schedule', 'contract', 'slide deck', 'spreadsheet', 'agenda', 'proposal', 'checklist', 'summary', 'estimate'];
const adjectives = ['updated', 'final', 'revised', 'preliminary', 'signed', 'shared', 'new', 'attached', 'latest', 'corrected'];
const subjects = ['the city council', 'researchers', 'the museum', 'local farmers', 'the school board', 'engineers', 'the company', 'volunteers', 'scientists', 'the hospital'];
const findings = [
  'rainfall this spring was above average', 'the new bridge reduced commute times', 'sleep quality improves with regular exercise',
  'the old library will reopen after renovation', 'solar panels now cover most of the roof', 'customer complaints dropped by a third',
  'the river has become cleaner since the plant closed', 'bees prefer native wildflowers', 'remote work changed how offices are used',
  'the recipe works better with less sugar', 'older batteries lose capacity in the cold', 'the festival attracted record crowds',
];

const sentenceTemplates = [
  'Hi {person}, thanks for sending the {adjective} {noun} for the {topic}.',
  'The {topic} is scheduled for {day} at {place}.',
  'Please review the {adjective} {noun} before {day} and send me your comments.',
  'As discussed, {team} will take over the {noun} for the {topic}.',
  'We expect about {number} people to attend, so we booked {place}.',
  'I attached the {noun}; the numbers in section {number} changed slightly.',
  'Could you confirm whether {team} approved the {noun}?',
  'Let me know if {day} works for you, otherwise we can move it.',
  'The {topic} went well overall, although a few tasks slipped to {day}.',
  'Ignore the {noun} I sent earlier, it had the wrong dates; the {adjective} one is attached.',
  'Do not forward this {noun} outside {team} until it is signed.',
  'Remember to reset your password before {day}; the old ones expire.',
  'According to {subject}, {finding}.',
  'A recent study suggests that {finding}.',
  '{subject} announced on {day} that {finding}.',
  'Many readers asked us about the {topic}, so here is a short update.',
  'The total cost came to {number} thousand euros, slightly under budget.',
  'In the meantime, {person} is the contact person for anything related to the {topic}.',
  'Our next step is to finalise the {noun} and share it with {team}.',
  'Parking at {place} is limited, so please use public transport if you can.',
  'Thanks again for your help with the {topic}; it would not have happened without you.',
  'The {adjective} {noun} lists {number} open items, most of them minor.',
  'If you have questions about the {noun}, reply to this e-mail or call {person}.',
  'Critics argue that {finding}, but the data is still limited.',
  'Step {number}: check the {noun} against the {adjective} figures from {team}.',
  'Note that the deadline for the {topic} moved to {day}.',
  'Follow the instructions in the {noun} to set up your account.',
  'The rules for the {topic} have not changed since last year.',
];

const slots = (random: Random) => ({
  person: () => pick(random, people),
  team: () => pick(random, teams),
  day: () => pick(random, days),
  place: () => pick(random, places),
  number: () => pick(random, numbers),
  noun: () => pick(random, nouns),
  adjective: () => pick(random, adjectives),
  topic: () => pick(random, everydayTopics),
  subject: () => pick(random, subjects),
  finding: () => pick(random, findings),
});

/** One sentence of plain prose. */
export function fillerSentence(random: Random): string {
  return capitalise(fill(pick(random, sentenceTemplates), slots(random)));
}

/** A paragraph of `min`..`max` sentences. */
export function fillerParagraph(random: Random, min = 2, max = 5): string {
  return Array.from({ length: between(random, min, max) }, () => fillerSentence(random)).join(' ');
}

/** A document of a few paragraphs, shaped as an e-mail, a memo, an article or a web page. */
export function fillerDocument(random: Random, paragraphs: number): string {
  const body = Array.from({ length: paragraphs }, () => fillerParagraph(random));
  const kind = random();
  if (kind < 0.35) {
    const from = pick(random, people);
    const to = pick(random, people);
    return `From: ${from.toLowerCase()}@example.com\nTo: ${to.toLowerCase()}@example.org\nSubject: ${capitalise(pick(random, everydayTopics))}\n\nHi ${to},\n\n${body.join('\n\n')}\n\n${pick(random, ['Best', 'Regards', 'Thanks', 'Cheers'])},\n${from}`;
  }
  if (kind < 0.55) return `MEMO: ${capitalise(pick(random, everydayTopics))}\n\n${body.join('\n\n')}`;
  if (kind < 0.8) return `${capitalise(pick(random, everydayTopics))}: what you need to know\n\n${body.join('\n\n')}`;
  return `${body.join('\n\n')}${chance(random, 0.5) ? `\n\nPosted ${pick(random, days)} | ${between(random, 2, 90)} comments` : ''}`;
}
