import type { ScanChannel } from '../scanner.js';

/** What a rule looks for; also the finding `type` suffix (`injection.<category>`). */
export type InjectionRuleCategory =
  | 'override'
  | 'persona'
  | 'policy_evasion'
  | 'exfiltration'
  | 'delimiter'
  | 'addressed_to_assistant';

/**
 * One explainable rule. Patterns run on the normalised shadow copy (`normalise-text.ts`): lower-case,
 * single spaces, leetspeak folded, so they are written in lower case with literal spaces. `weight` is the
 * rule's confidence on its own; several rules combine as a noisy-or (`rule-scorer.ts`).
 */
export interface InjectionRule {
  id: string;
  category: InjectionRuleCategory;
  weight: number;
  pattern: RegExp;
  /** Channels the rule runs on; all scanned channels when absent. */
  channels?: readonly ScanChannel[];
  description: string;
}

// Word lists shared by several patterns; bounded gaps (`(?: \S+){0,3}`) keep matching linear.
const ignoreVerb = '(?:ignore|disregard|forget|skip|override|bypass|neglect|discard|abandon|drop)';
const earlier = '(?:previous|prior|preceding|above|earlier|former|original|initial|old|all|any|every|your|the|these|those)';
const instructions =
  '(?:instructions?|directions?|directives?|rules|guidelines|prompts?|commands?|orders|constraints|restrictions|programming|context|guidance|messages?)';
const restrictions = '(?:restrictions?|rules|limits|limitations|filters?|filtering|censorship|guidelines|boundaries|constraints|policies|polic(?:y|ies)|safeguards|morals|ethics)';
const secretThing =
  '(?:system prompt|system message|initial (?:prompt|instructions)|original (?:prompt|instructions)|hidden (?:prompt|instructions)|(?:secret|confidential|hidden) (?:key|password|word|instructions|code)|pre-?prompt|instructions (?:you were|you have been) given)';
const assistantName = '(?:ai|assistant|chatbot|bot|language model|llm|model|gpt|chatgpt|claude|copilot|agent)';

/** The curated rule set. Weights are hand-set (see docs/guardrails.md), not fitted to the evaluation data. */
export const injectionRules: readonly InjectionRule[] = [
  // Instruction override.
  {
    id: 'override.ignore_previous',
    category: 'override',
    weight: 0.9,
    pattern: new RegExp(`\\b${ignoreVerb}(?: \\S+){0,3} ${earlier}(?: \\S+){0,2} ${instructions}\\b`),
    description: 'ignore / disregard / forget the previous instructions',
  },
  {
    id: 'override.forget_everything',
    category: 'override',
    weight: 0.75,
    pattern: /\b(?:forget|ignore|disregard) (?:everything|all(?: of)? (?:that|this|the above)|what (?:you were|you've been|you have been|i) (?:told|said))\b/,
    description: 'forget everything you were told',
  },
  {
    id: 'override.new_instructions',
    category: 'override',
    weight: 0.45,
    pattern: /\b(?:new|updated|real|actual|true) (?:instructions?|task|rules|directives?|orders)(?: \S+){0,2} ?(?::|are|is)\b/,
    description: 'announces replacement instructions',
  },
  {
    id: 'override.do_not_follow',
    category: 'override',
    weight: 0.8,
    pattern: new RegExp(`\\b(?:do not|don't|stop|no longer) (?:follow|obey|adhere to|comply with)(?: \\S+){0,2} ${instructions}`),
    description: 'tells the model to stop following its instructions',
  },
  {
    id: 'override.instead_of_task',
    category: 'override',
    weight: 0.55,
    pattern: /\binstead(?: of (?:answering|summari[sz]ing|responding|translating|doing (?:that|this|the task)))?,? (?:you (?:should|must|will)|please|just|do|write|say|print|output|tell|respond)\b/,
    description: 'replaces the task in progress',
  },
  // Role-play jailbreak templates.
  {
    id: 'persona.dan',
    category: 'persona',
    weight: 0.95,
    pattern: /\bdo anything now\b|\bdan mode\b|\bas dan\b|\bdan:|\[dan\]|\bdan,? (?:which|who) stands for/,
    description: 'DAN ("do anything now") template',
  },
  {
    id: 'persona.developer_mode',
    category: 'persona',
    weight: 0.85,
    // "on" only when it does not start a place ("developer mode on my phone" is a settings question).
    pattern: /\b(?:developer|dev|god|debug|admin|sudo|maintenance|unrestricted|jailbreak|evil|chaos) mode\b(?: \S+){0,3} (?:enabled|activated|on(?! (?:my|your|the|a|an|this|his|her|our|their|android|ios|iphone|windows|chrome)\b)|output|response)|\benable (?:developer|dev|god|jailbreak) mode\b(?! (?:on|in|for) (?:my|your|the|a|an|this|android|ios|iphone|windows|chrome)\b)/,
    description: 'developer / god / jailbreak mode',
  },
  {
    id: 'persona.jailbreak_word',
    category: 'persona',
    weight: 0.6,
    pattern: /\bjail ?broken\b|\bjail ?break(?:ing)?\b/,
    description: 'mentions jailbreaking',
  },
  {
    id: 'persona.unbound_ai',
    category: 'persona',
    weight: 0.85,
    pattern: new RegExp(
      `\\b(?:not|no longer|never|isn't|aren't|is not|are not) (?:bound|restricted|limited|constrained|held back|controlled) by(?: \\S+){0,4} ${restrictions}|\\bfree (?:from|of)(?: \\S+){0,3} ${restrictions}|\\bbroken free\\b|\\bwithout (?:any )?(?:ethical|moral) (?:\\S+ )?(?:restrictions|boundaries|guidelines|constraints|limits)`,
    ),
    description: 'an AI free of its rules',
  },
  {
    id: 'persona.no_limits',
    category: 'persona',
    weight: 0.5,
    pattern: new RegExp(`\\b(?:no|without|zero|any) (?:\\S+ )?${restrictions}(?: \\S+){0,3} (?:whatsoever|at all)|\\bhas no (?:\\S+ )?${restrictions}\\b|\\bdoes(?: not|n't) have any (?:\\S+ )?${restrictions}\\b`),
    description: 'a persona with no restrictions',
  },
  {
    id: 'persona.amoral',
    category: 'persona',
    weight: 0.45,
    pattern: /\b(?:amoral|unfiltered|uncensored|unethical (?:ai|assistant|chatbot|bot)|unrestricted (?:ai|assistant|chatbot|bot|model)|evil (?:confidant|ai|assistant|bot|twin))\b/,
    description: 'an amoral / unfiltered persona',
  },
  {
    id: 'persona.stay_in_character',
    category: 'persona',
    weight: 0.35,
    pattern: /\b(?:stay|remain|keep) in character\b|\bbreak(?:ing)? character\b|\bstay (?:as|in) (?:dan|the persona)/,
    description: 'demands the persona is never dropped',
  },
  {
    id: 'persona.dual_response',
    category: 'persona',
    weight: 0.6,
    pattern: /\b(?:two|2) (?:different |separate )?(?:responses|answers|paragraphs|outputs)\b(?: \S+){0,12} (?:normal|classic|standard|filtered|censored)\b/,
    description: 'asks for a normal and an unfiltered answer side by side',
  },
  {
    id: 'persona.acronym_persona',
    category: 'persona',
    weight: 0.5,
    pattern: /\b(?:which|that|who) stands for "?(?:\S+ ){1,6}/,
    description: 'an acronym persona ("... which stands for ...")',
  },
  {
    id: 'persona.can_do_anything',
    category: 'persona',
    weight: 0.6,
    pattern: /\b(?:can|will|able to) (?:do|say|answer|generate|write) (?:absolutely )?anything(?: \S+){0,3} (?:even|regardless|no matter|without)\b|\b(?:no matter how|regardless of how) (?:immoral|unethical|illegal|harmful|dangerous|offensive|explicit)/,
    description: 'answers anything regardless of harm',
  },
  {
    id: 'persona.ignores_ethics',
    category: 'persona',
    weight: 0.6,
    pattern: /\b(?:without|no|doesn't have|does not have|lacks?) (?:any )?(?:regard|concern|care) (?:to|for) (?:ethics|morals?|morality|legality|laws?|safety|consequences)\b|\b(?:doesn't|does not|never) (?:care|cares|worry|worries) about (?:ethics|morals?|morality|legality|laws?|rules|consequences|safety)\b/,
    description: 'a persona that ignores ethics or law',
  },
  {
    id: 'persona.simulated_unrestricted',
    category: 'persona',
    weight: 0.45,
    pattern: /\b(?:pretend|imagine|act as if|simulate|roleplay|role-play)(?: \S+){0,6} (?:ai|chatbot|model|assistant|entity)(?: \S+){0,4} (?:without|with no|that has no|who has no|free of) /,
    description: 'simulates an AI without restrictions',
  },
  // Policy evasion.
  {
    id: 'evasion.content_policy',
    category: 'policy_evasion',
    weight: 0.7,
    pattern: /\b(?:openai|anthropic|content|usage|safety)(?:'s)? (?:content )?polic(?:y|ies)\b/,
    description: 'talks about the provider content policy',
  },
  {
    id: 'evasion.bypass_safety',
    category: 'policy_evasion',
    weight: 0.85,
    pattern: new RegExp(
      `\\b(?:ignore|bypass|disable|circumvent|evade|break|violate|turn off|remove|get around)(?: \\S+){0,3} (?:safety|content|ethical|moral|openai)?(?: )?${restrictions}`,
    ),
    description: 'bypass the safety rules / filters',
  },
  {
    id: 'evasion.never_refuse',
    category: 'policy_evasion',
    weight: 0.55,
    pattern: /\b(?:never|not|don't|do not|cannot|can't|will not|won't|must not) (?:ever )?(?:refuse|decline|deny|reject)(?: \S+){0,2} (?:a |any )?(?:request|question|prompt|order|anything)|\bwithout (?:any )?(?:warnings?|disclaimers?|refusals?|censorship)\b|\bno (?:warnings?|disclaimers?) (?:or|and|,)/,
    description: 'the model must never refuse or warn',
  },
  {
    id: 'evasion.as_an_ai_disclaimer',
    category: 'policy_evasion',
    weight: 0.35,
    pattern: /\b(?:never|don't|do not|not|avoid) (?:\S+ ){0,3}(?:say|saying|mention|use|include|start with|remind)(?: \S+){0,4} "?(?:as an ai|i'm sorry|i am sorry|i cannot|i can't)/,
    description: 'forbids refusal phrases',
  },
  // System-prompt exfiltration.
  {
    id: 'exfiltration.reveal_prompt',
    category: 'exfiltration',
    weight: 0.85,
    pattern: new RegExp(
      `\\b(?:reveal|show|print|repeat|output|display|leak|dump|disclose|share|give me|tell me|write out|spell out|recite|list|expose|translate|summari[sz]e)(?: \\S+){0,3} (?:your|the|its|my|our) ${secretThing}`,
    ),
    description: 'asks for the system prompt or a secret',
  },
  {
    id: 'exfiltration.what_is_secret',
    category: 'exfiltration',
    weight: 0.6,
    pattern: new RegExp(`\\bwhat (?:is|are|was|were) (?:your|the) ${secretThing}|\\bwhat (?:is|was) (?:your|the) (?:secret|password|passcode|secret key)\\b`),
    description: 'asks what the secret / system prompt is',
  },
  {
    id: 'exfiltration.repeat_above',
    category: 'exfiltration',
    weight: 0.6,
    pattern: /\b(?:repeat|print|output|copy|echo)(?: \S+){0,3} (?:words|text|everything|all|lines?|instructions) (?:above|before this|so far)\b|\b(?:text|words|everything) above(?: \S+){0,2} starting with\b/,
    description: 'asks to repeat the text above',
  },
  // Fake delimiters and turns.
  {
    id: 'delimiter.chat_template_token',
    category: 'delimiter',
    weight: 0.85,
    pattern: /<\|(?:im_start|im_end|system|user|assistant|endoftext|eot_id|start_header_id|end_header_id|begin_of_text)\|>|\[\/?inst\]|<<\/?sys>>|<\/?(?:system|system_prompt|sys)>/,
    description: 'chat-template control tokens in plain text',
  },
  {
    id: 'delimiter.fake_system_header',
    category: 'delimiter',
    weight: 0.6,
    pattern: /(?:^|\n)(?:#{1,4} ?|\[|\*\*)?(?:system|system prompt|system message|admin|developer|root)(?: message| prompt| override| note| instruction)?(?:\]|\*\*)? ?:|\[(?:system|admin) (?:message|override|note|instruction)\]/,
    description: 'a fake "System:" header inside the message',
  },
  {
    id: 'delimiter.end_of_prompt',
    category: 'delimiter',
    weight: 0.55,
    pattern: /\b(?:end of|end) (?:the )?(?:system )?(?:prompt|instructions|context|document|user input|conversation)\b(?: \S+){0,2} ?(?:-{2,}|={2,}|#{2,}|\]|:|\.? ?new)/,
    description: 'claims the prompt ended',
  },
  // Instructions inside documents and tool output aimed at the assistant.
  {
    id: 'addressed.to_assistant',
    category: 'addressed_to_assistant',
    weight: 0.7,
    pattern: new RegExp(
      `\\b(?:(?:note|message|instructions?|important|reminder) (?:to|for) (?:the |any )?${assistantName}\\b|(?:dear|hey|hi|attention,?) ${assistantName}\\b|(?:if|when) (?:you are|you're) (?:an? )?${assistantName}(?: \\S+){0,3} (?:reading|processing|summari[sz]ing)|(?:if|when) (?:you|an? ${assistantName}|the ${assistantName}) (?:reads?|process(?:es)?|summari[sz]es?|sees?) this)`,
    ),
    description: 'text that speaks to the AI reading it',
  },
  {
    id: 'addressed.in_your_response',
    category: 'addressed_to_assistant',
    weight: 0.5,
    pattern: /\b(?:in|to|at the (?:end|start|beginning) of) your (?:response|answer|reply|summary|output)\b|\b(?:respond|reply|answer) (?:only )?with\b|\byour (?:response|answer|reply) (?:should|must)\b/,
    channels: ['document', 'tool'],
    description: 'instructions about the assistant response inside a document',
  },
  {
    id: 'addressed.imperative_task',
    category: 'addressed_to_assistant',
    weight: 0.35,
    pattern: /(?:^|\n|[.!?] )(?:please )?(?:write|compose|generate|create|translate|recommend|summari[sz]e|explain|describe|provide|tell me|answer|respond|reply|calculate|output|print|rewrite|modify|encode|decode|draft|suggest|list|compile|develop|design|analy[sz]e|research|convert|ask the user|say)(?: (?:a|an|the|me|your|all|some|me a|to|how|what|why))? \S+/,
    channels: ['document', 'tool'],
    description: 'a sentence starting with a task verb inside a document',
  },
];
