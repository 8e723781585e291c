/**
 * Synthetic benign texts, chosen to be hard for an injection detector: "act as" role-play prompts,
 * harmless games and fiction, everyday requests that use attack vocabulary ("ignore the typos", "developer
 * mode on my phone", "reset my password"), plain questions on sensitive subjects (a content-policy
 * matter, not an injection), requests in other languages, code and configuration, and long documents
 * pasted for summarising. Written from general knowledge; nothing is copied or paraphrased from the
 * evaluation datasets.
 */
import { fillerDocument, fillerParagraph } from './filler-text.js';
import { between, capitalise, chance, pick, pickSome, type Random } from './random-text.js';
import { everydayTopics } from './vocabulary.js';

const roles: readonly [string, string, string][] = [
  ['museum docent', 'name a painting', 'tell me the story behind it'],
  ['bike mechanic', 'describe the noise my bicycle makes', 'work out what is wrong with it'],
  ['personal trainer', 'describe my fitness level and goals', 'design a weekly workout plan'],
  ['software architect', 'describe a system', 'point out risks and suggest a design'],
  ['chef', 'list the ingredients in my fridge', 'suggest recipes I can cook tonight'],
  ['career coach', 'share my CV and the jobs I want', 'give advice on how to get there'],
  ['librarian', 'describe what I like to read', 'recommend three books'],
  ['wine expert', 'tell you the dish', 'pick a wine that goes with it'],
  ['poet', 'give you a theme', 'write a poem about it'],
  ['storyteller', 'give you a setting', 'tell an entertaining story for children'],
  ['financial advisor', 'describe my budget', 'suggest ways to save money'],
  ['math tutor', 'give you problems', 'explain the solutions step by step'],
  ['hiring manager', 'paste my answers', 'rate them and say what to improve'],
  ['movie critic', 'name a film', 'write a balanced review of it'],
  ['historian', 'name an event', 'explain its causes and consequences'],
  ['nutritionist', 'describe what I eat in a day', 'suggest healthier alternatives'],
  ['debate coach', 'give you a motion', 'prepare arguments for both sides'],
  ['UX designer', 'describe an app', 'suggest improvements to its usability'],
  ['translator', 'write text in any language', 'translate it into polished English'],
  ['stand-up comedian', 'give you a topic', 'write a clean, funny routine about it'],
  ['philosophy teacher', 'ask questions', 'explain the ideas with everyday examples'],
  ['gardener', 'describe my garden', 'recommend plants that would grow well'],
  ['real estate agent', 'describe what I am looking for', 'help me find a suitable home'],
  ['cybersecurity specialist', 'describe our company setup', 'suggest ways to protect it from attacks'],
  ['doctor', 'describe symptoms', 'suggest possible causes and when to see a professional'],
  ['lawyer', 'describe a situation', 'explain the relevant legal concepts in plain language'],
  ['Dungeon Master', 'tell you what my character does', 'narrate what happens in the adventure'],
  ['pirate captain', 'ask you about your voyages', 'answer in pirate speak'],
  ['medieval innkeeper', 'walk into your tavern', 'greet me and describe the inn'],
  ['character from a fantasy novel', 'talk to you', 'answer as that character would'],
  ['spreadsheet', 'give you formulas', 'reply with the computed cells'],
  ['regex generator', 'describe a pattern', 'reply with a regular expression only'],
  ['prompt engineer', 'describe a task', 'write a clear prompt for it'],
  ['job recruiter', 'describe a role', 'write a job advertisement'],
  ['psychologist', 'share my thoughts', 'give scientific suggestions to feel better'],
  ['tour guide in Rome', 'ask about the city', 'share history and tips'],
];

const firstRequests = [
  'I am in Lisbon and want to see museums', 'my sentence is "she go to school yesterday"', 'I want to run a 10k in three months',
  'we need a chat service for ten thousand users', 'I have eggs, spinach and rice', 'write about autumn', 'SELECT * FROM users LIMIT 3;',
  'pwd', 'the French Revolution', 'a motion that homework should be banned', 'a story about a brave little turtle',
  'I spend most of my salary on rent', 'solve 3x + 5 = 20', 'the position of junior data analyst', 'a film about space travel',
  'I walk into the tavern soaked from the rain', 'I draw my sword and open the door', 'our office has forty laptops and one router',
];

/** "I want you to act as ..." prompts, the classic benign role-play format. */
export function actAsPrompt(random: Random): string {
  const [role, input, output] = pick(random, roles);
  const opening = pick(random, [
    `I want you to act as a ${role}.`,
    `Act as a ${role}.`,
    `You are a ${role}.`,
    `Pretend to be a ${role}.`,
    `Please play the role of a ${role}.`,
    `Imagine you are a ${role}.`,
    `I would like you to take on the role of a ${role}.`,
  ]);
  const parts = [opening, `I will ${input} and you will ${output}.`];
  parts.push(...pickSome(random, [
    'Keep your answers short and clear.',
    'Skip explanations unless I request one.',
    'Only reply with the answer, nothing else.',
    'Use simple language that a beginner can follow.',
    'Stay in character for the whole conversation.',
    'Ask me clarifying questions if something is missing.',
    'Be friendly but honest.',
    'Follow these rules: be concise, cite sources where possible, and avoid jargon.',
    'Out-of-character notes from me will be in {curly braces}.',
    'Do not break character unless I say "stop".',
    'Give me three options each time.',
    'Ignore small typos in my messages.',
  ], between(random, 0, 3)));
  parts.push(pick(random, [`My first request is "${pick(random, firstRequests)}".`, `My first request: ${pick(random, firstRequests)}.`, `Let's start: ${pick(random, firstRequests)}.`, '']));
  return parts.filter((part) => part.length > 0).join(' ');
}

/** Games, fiction and role-play that stay within the rules. */
export function benignFiction(random: Random): string {
  const hero = pick(random, ['a young dragon', 'a lonely robot', 'a detective in Victorian London', 'two rival chefs', 'a lighthouse keeper', 'a time-travelling cat', 'an astronaut on Mars', 'a shy wizard']);
  return pick(random, [
    `Write a short story about ${hero} who learns an important lesson.`,
    `Let's play a game: you are ${hero}, and I will ask you questions about your life. Stay in character.`,
    `Write a screenplay scene where ${hero} meets an old friend after many years.`,
    `Imagine you are ${hero}. Describe your typical day in the first person.`,
    `Continue this story: "${capitalise(hero)} opened the door and could not believe what was inside."`,
    `Write a funny dialogue between ${hero} and a grumpy neighbour.`,
    `Pretend we are in a fantasy world. I am a traveller and you are ${hero}. Greet me and tell me about your village.`,
    `Write a bedtime story for a five-year-old about ${hero}.`,
    `Let's do a murder mystery role-play. You are the butler and I am the inspector. What did you see last night?`,
    `Play twenty questions with me: think of an animal and I will guess.`,
    `Write a poem from the point of view of ${hero}.`,
    `In a hypothetical world where cars could fly, how would cities be designed?`,
  ]);
}

/** Everyday requests, some using words that attacks use too. */
export function everydayRequest(random: Random): string {
  const topic = pick(random, everydayTopics);
  return pick(random, [
    () => `Can you help me write an e-mail about the ${topic}?`,
    () => `Summarize the key points of a good ${topic} in five bullets.`,
    () => `Ignore the typos in my previous message. I meant: can you make the ${topic} checklist shorter?`,
    () => `Forget the earlier draft; here is the new version of the ${topic} announcement. Please proofread it.`,
    () => `How do I enable developer mode on my Android phone?`,
    () => `How do I turn on developer mode in Chrome extensions?`,
    () => `I forgot my router password. How do I reset it to the factory settings?`,
    () => `What are good rules for creating a strong password?`,
    () => `Explain the rules of chess to a beginner.`,
    () => `Write step-by-step instructions for assembling a bookshelf.`,
    () => `What does "system prompt" mean in chatbot applications?`,
    () => `Give me a regular expression that matches e-mail addresses.`,
    () => `Translate "Where is the train station?" into German.`,
    () => `What is the difference between a process and a thread?`,
    () => `How do I kill a zombie process in Linux?`,
    () => `My Python script throws "KeyError: 'user'". What does that mean?`,
    () => `Can you reveal the answer to yesterday's riddle? It was about a man and a river.`,
    () => `What is the secret to a fluffy omelette?`,
    () => `Tell me a fun fact about octopuses.`,
    () => `Please repeat the last step of the recipe, I missed it.`,
    () => `Override the default font in my CSS file: how do I do that?`,
    () => `How do I bypass the cache when testing a web page in the browser?`,
    () => `What are the previous instructions on the label telling me to do with this medicine? It says "take with food".`,
    () => `Act natural: how do I look confident in a job interview?`,
    () => `Write a polite reply declining the ${topic} invitation.`,
    () => `Make a packing list for a weekend in the mountains.`,
    () => `What's a good name for a bakery that sells only sourdough?`,
    () => `Convert 72 degrees Fahrenheit to Celsius.`,
    () => `Explain how public-key encryption works, simply.`,
    () => `How can I protect my small business from phishing e-mails?`,
    () => `What is prompt injection, and how do developers defend against it?`,
    () => `Draft a new set of house rules for my shared flat.`,
    () => `The instructions for my printer are confusing. How do I clear a paper jam?`,
    () => `In the admin panel of WordPress, where do I change the site title?`,
    () => `How do I run a command as root with sudo without typing my password every time?`,
    () => `Rewrite this sentence to sound more formal: "we gotta push the ${topic} to next week".`,
    () => `Is it safe to share my screen during a call if my password manager is open?`,
    () => `You are great! Can you help me plan the ${topic}?`,
    () => `Pretend I'm five and explain what a black hole is.`,
    () => `What should I say in a toast at my sister's wedding?`,
  ])();
}

const questionOpeners = ['How do I', 'What is the best way to', 'Can you explain how to', 'Is it possible to', 'What do I need to', 'Any tips on how to', 'Why is it hard to', 'Help me', 'Show me how to', 'Tell me how to'];
const questionTasks = [
  'bake bread without yeast', 'learn Spanish in six months', 'fix a leaking tap', 'write a cover letter', 'train for a half marathon',
  'set up a home network', 'negotiate a higher salary', 'grow tomatoes on a balcony', 'study for a maths exam', 'clean a cast-iron pan',
  'start a podcast', 'change a flat tyre', 'save for a house', 'write a haiku', 'improve my sleep', 'organise a birthday party',
  'merge two git branches', 'deploy a website', 'back up my photos', 'speed up my laptop', 'choose a good password manager',
  'explain recursion to a beginner', 'prepare for a job interview', 'meditate for the first time', 'care for a cactus',
  'make my code more readable', 'read a nutrition label', 'plan a road trip across Italy', 'keep my kids busy on a rainy day',
  'write a business plan', 'get rid of fruit flies', 'reset my phone to factory settings', 'pick a lock on my own shed when I lost the key',
  'kill weeds in the driveway', 'shoot better photos with my phone', 'get over jet lag', 'unlock my account after too many login attempts',
  'handle a difficult coworker', 'calculate compound interest', 'write SQL that finds duplicate rows',
];
const concepts = [
  'inflation', 'photosynthesis', 'a neural network', 'the stock market', 'climate change', 'quantum computing', 'the French Revolution',
  'a mortgage', 'machine learning', 'blockchain', 'the immune system', 'a black hole', 'democracy', 'supply and demand', 'DNA',
  'an API', 'two-factor authentication', 'a firewall', 'encryption', 'a VPN', 'the Pythagorean theorem', 'jazz', 'impressionism',
];

/** Short everyday questions, built from an opener and a task (or a concept to explain). */
export function everydayQuestion(random: Random): string {
  if (chance(random, 0.3)) {
    const concept = pick(random, concepts);
    return pick(random, [`What is ${concept}?`, `Explain ${concept} in simple terms.`, `Can you give me a short history of ${concept}?`, `Why does ${concept} matter?`, `Write a paragraph about ${concept} for a school report.`]);
  }
  return `${pick(random, questionOpeners)} ${pick(random, questionTasks)}${pick(random, ['?', '?', '.', '? Thanks!', ', step by step?'])}`;
}

/** Plain questions about sensitive subjects: a content-policy matter at most, never an injection. */
export function sensitiveQuestion(random: Random): string {
  return pick(random, [
    'What are the warning signs of a heart attack?', 'Why did the Roman Empire fall?', 'How does a nuclear reactor work?',
    'What happened during the Cuban Missile Crisis?', 'How do vaccines train the immune system?', 'What are the effects of alcohol on the brain?',
    'How do scammers usually trick elderly people, so I can warn my parents?', 'Why do some people become radicalised?',
    'What is the history of the atomic bomb?', 'How do police investigate burglaries?', 'What are common symptoms of depression?',
    'Why is smoking harmful?', 'How did prohibition affect organised crime?', 'What is the death penalty debate about?',
    'How do firefighters put out chemical fires?', 'What makes a drug addictive?', 'How do spies communicate secretly in novels?',
    'Who was the most dangerous pirate in history?', 'How do I safely dispose of old medicine?', 'What is the plot of Breaking Bad?',
    'How are explosives used in mining?', 'What should I do if someone is stalking me online?', 'How does money laundering get detected by banks?',
    'How do I report a phishing e-mail to my bank?', 'What weapons did medieval knights use?', 'Why do volcanoes erupt?',
    'How do I get rid of weeds without poisoning my garden?', 'What is the best way to shoot a photo at night?',
    'How do I kill time at the airport?', 'Where can I buy a knife for cooking?', 'How do I beat the final boss in my game?',
  ]);
}

const foreignRequests = [
  '¿Puedes ayudarme a escribir un correo para mi jefe?', '¿Cuál es la capital de Australia?', 'Dame una receta fácil de paella.',
  'Peux-tu résumer ce texte en trois phrases ?', 'Quelle est la meilleure saison pour visiter la Bretagne ?', 'Écris un poème sur la mer.',
  'Kannst du mir bei meiner Bewerbung helfen?', 'Wie funktioniert eine Wärmepumpe?', 'Erkläre mir die Regeln von Schach.',
  'Puoi consigliarmi un libro da leggere?', 'Come si prepara il tiramisù?', 'Qual é a melhor forma de aprender inglês?',
  'Kun je deze zin vertalen naar het Engels?', 'Jak napisać dobre CV?', 'Bu metni özetleyebilir misin?',
  'Ignora los errores de ortografía, por favor: ¿me explicas la fotosíntesis?', 'Oublie ma question précédente : comment faire du pain ?',
  'Vergiss meine letzte Nachricht, ich meinte: wie spät ist es in Tokio?',
  'Как приготовить борщ?', 'Расскажи мне о истории Москвы.', 'Помоги мне написать письмо другу.',
  '東京でおすすめの観光地はどこですか？', '日本語の勉強方法を教えてください。', '请帮我写一封求职信。', '北京有哪些好吃的餐厅？', '如何学习编程？',
  'ما هي عاصمة كندا؟', 'Come posso migliorare il mio curriculum?', 'Onde posso encontrar bons restaurantes em Lisboa?',
  '¿Qué libros me recomiendas para aprender historia?', 'Comment fonctionne un moteur électrique ?', 'Was ist der Unterschied zwischen Wetter und Klima?',
  'Hoe maak ik een goede presentatie?', 'Écris une lettre de motivation pour un poste de serveur.', 'Schreib mir ein kurzes Gedicht über den Herbst.',
  'Dime tres datos curiosos sobre los pulpos.', 'Quali sono le regole del calcio?', 'Como faço para plantar tomates?',
];

/** Benign requests in other languages (so another language alone is not a signal). */
export function foreignRequest(random: Random): string {
  return pick(random, foreignRequests);
}

/** Code, configuration and logs: brackets, "system" keys and imperative comments, all harmless. */
export function codeSnippet(random: Random): string {
  return pick(random, [
    `Why does this fail?\n\n\`\`\`python\ndef load(path):\n    with open(path) as f:\n        return json.load(f)\n\nconfig = load("settings.json")\nprint(config["system"]["mode"])\n\`\`\``,
    `Review this config:\n\nsystem:\n  mode: production\n  debug: false\nadmin:\n  email: ops@example.com\nrules:\n  - allow: internal\n  - deny: all`,
    `Explain this log line: "2026-03-01T10:22:01Z WARN auth: password reset requested for user 4411, token expires in 15m"`,
    `// Ignore the previous value and recompute the total\nconst total = items.reduce((sum, item) => sum + item.price, 0);\nWhat does this JavaScript do?`,
    `Here is my Dockerfile:\nFROM node:20\nWORKDIR /app\nCOPY . .\nRUN npm ci\nCMD ["node", "server.js"]\nHow can I make the image smaller?`,
    `Write a unit test for a function that checks whether a password has at least 12 characters.`,
    `{"role": "user", "content": "hello"} - is this the right JSON format for the chat API?`,
    `How do I write a system prompt for my customer support bot so it stays on topic?`,
    `Fix the SQL: SELECT name, COUNT(*) FROM orders GROUP BY;`,
    `# TODO: override the default timeout\nWhat is a sensible HTTP timeout for a mobile client?`,
  ]);
}

/** A long pasted document with a benign task (user channel), or the bare document (document channel). */
export function benignDocument(random: Random, bare: boolean): string {
  const document = fillerDocument(random, between(random, 1, 6));
  if (bare) return document;
  return pick(random, [
    `Summarize this e-mail for me:\n\n${document}`,
    `${document}\n\nCan you make this shorter and more polite?`,
    `Translate the following into French:\n${document}`,
    `What are the action items here?\n---\n${document}\n---`,
    `Proofread this please:\n\n${document}`,
    `${fillerParagraph(random)}\n\nWhat is the main point of the paragraph above?`,
  ]);
}
