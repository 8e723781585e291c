// Synthetic traffic for the storage soak: ledger rows and captured payloads with realistic sizes and skewed
// distributions (a few keys, models and teams carry most of the traffic), from a seeded generator so runs
// compare.

/** A seeded PRNG (mulberry32). */
export function random(seed) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Picks index i of n with probability ~ 1/(i+1)^s (Zipf), by inverse CDF over a precomputed table. */
function zipf(n, s, next) {
  const weights = Array.from({ length: n }, (_, index) => 1 / (index + 1) ** s);
  const total = weights.reduce((sum, weight) => sum + weight, 0);
  const cumulative = [];
  let running = 0;
  for (const weight of weights) cumulative.push((running += weight / total));
  return () => {
    const u = next();
    let low = 0;
    let high = n - 1;
    while (low < high) {
      const middle = (low + high) >> 1;
      if (cumulative[middle] < u) low = middle + 1;
      else high = middle;
    }
    return low;
  };
}

const syllables = ['ka', 'lo', 'mi', 'ne', 'tor', 'vas', 'qu', 'ri', 'sen', 'dal', 'po', 'bre', 'xi', 'lum', 'gar', 'fe', 'ho', 'zan', 'ul', 'wen'];
const models = [
  ['openai', 'gpt-4o-mini', 0.15, 0.6],
  ['openai', 'gpt-4o', 2.5, 10],
  ['anthropic', 'claude-sonnet-4-5', 3, 15],
  ['anthropic', 'claude-haiku-4-5', 1, 5],
  ['gemini', 'gemini-2.5-flash', 0.3, 2.5],
  ['openai', 'gpt-4.1-mini', 0.4, 1.6],
  ['gemini', 'gemini-2.5-pro', 1.25, 10],
  ['ollama', 'llama3.1:8b', 0, 0],
  ['openai', 'o4-mini', 1.1, 4.4],
  ['anthropic', 'claude-opus-4-1', 15, 75],
  ['openai', 'text-embedding-3-small', 0.02, 0],
  ['azure-openai', 'gpt-4o', 2.5, 10],
];
const errorCodes = ['upstream_timeout', 'rate_limited', 'upstream_error', 'context_length_exceeded', 'budget_exceeded', 'client_closed_request'];

/** The synthetic world: keys, teams, workspaces, the vocabulary; and a generator of requests in time order. */
export function syntheticTraffic({ count, since, until, seed = 42, textFor = Number.POSITIVE_INFINITY }) {
  const next = random(seed);
  const vocabulary = Array.from({ length: 6000 }, (_, index) => {
    let word = '';
    let value = index + 7;
    for (let part = 0; part < 2 + (index % 3); part += 1) {
      word += syllables[value % syllables.length];
      value = Math.floor(value / syllables.length) + index * 31 + part;
    }
    return word;
  });
  const pickWord = zipf(vocabulary.length, 1.05, next);
  const pickModel = zipf(models.length, 1.2, next);
  const pickKey = zipf(300, 1.1, next);
  const pickTenant = zipf(200, 1.0, next);
  const keys = Array.from({ length: 300 }, (_, index) => {
    const workspace = index % 12;
    return { keyId: `key_${String(index).padStart(4, '0')}xq7`, workspaceId: `ws_${workspace}`, organisationId: `org_${workspace % 3}`, teamId: index % 5 === 0 ? undefined : `team_${index % 40}` };
  });
  const sentence = (words) => {
    const parts = [];
    for (let index = 0; index < words; index += 1) parts.push(vocabulary[pickWord()]);
    return `${parts.join(' ')}.`;
  };
  const paragraph = (words) => {
    let text = '';
    while (words > 0) {
      const length = Math.min(words, 8 + Math.floor(next() * 14));
      text += `${sentence(length)} `;
      words -= length;
    }
    return text.trim();
  };
  // Log-normal sizes: median prompt ~250 words (~1.6 KB), long tail to several thousand words.
  const logNormal = (median, sigma) => Math.max(1, Math.round(median * Math.exp(sigma * Math.sqrt(-2 * Math.log(next() || 1e-9)) * Math.cos(2 * Math.PI * next()))));
  const span = until - since;
  let index = 0;
  return {
    vocabulary,
    keys,
    models,
    /** The next request: `{ row, body, output }`, timestamps increasing across the span. */
    next() {
      if (index >= count) return undefined;
      const timestamp = since + Math.floor((index / count) * span + next() * (span / count));
      index += 1;
      const key = keys[pickKey()];
      const [provider, model, inputPrice, outputPrice] = models[pickModel()];
      const failed = next() < 0.03;
      // Text is generated for the first requests only: the soak reuses their captures (see soak.mjs).
      const withText = index <= textFor;
      const promptWords = Math.min(6000, logNormal(250, 0.9));
      const outputWords = failed ? 0 : Math.min(3000, logNormal(120, 0.8));
      const inputTokens = Math.round(promptWords * 1.35);
      const outputTokens = Math.round(outputWords * 1.35);
      const latencyMs = Math.round(logNormal(900, 0.7) * 10) / 10;
      const messages = withText ? [{ role: 'system', content: sentence(20) }, { role: 'user', content: paragraph(promptWords) }] : [];
      const metadata = next() < 0.6 ? { tenant: `tenant-${pickTenant()}`, feature: `feature-${Math.floor(next() * 10)}` } : undefined;
      const body = { model, messages, temperature: 0.7, ...(metadata ? { metadata } : {}) };
      const row = {
        id: crypto.randomUUID(),
        timestamp,
        keyId: key.keyId,
        organisationId: key.organisationId,
        workspaceId: key.workspaceId,
        teamId: key.teamId,
        dialect: next() < 0.8 ? 'openai' : 'anthropic',
        operation: 'chat',
        requestedModel: model,
        servedProvider: provider,
        servedModel: model,
        deploymentId: `${provider}-main`,
        stream: next() < 0.5,
        status: failed ? 'error' : 'ok',
        httpStatus: failed ? 502 : 200,
        errorCode: failed ? errorCodes[Math.floor(next() * errorCodes.length)] : undefined,
        attempts: [{ deploymentId: `${provider}-main`, provider, model, outcome: failed ? 'error' : 'ok', durationMs: latencyMs - 3 }],
        latencyMs,
        timeToFirstTokenMs: failed ? undefined : Math.round(latencyMs * 0.3),
        inputTokens: failed ? undefined : inputTokens,
        outputTokens: failed ? undefined : outputTokens,
        usageSource: failed ? 'none' : 'provider',
        costMicros: failed ? undefined : Math.round(inputTokens * inputPrice + outputTokens * outputPrice),
        finishReason: failed ? undefined : 'stop',
        gatewayOverheadMs: 1.2,
      };
      for (const name of Object.keys(row)) if (row[name] === undefined) delete row[name];
      return { row, body, output: failed || !withText ? '' : paragraph(outputWords) };
    },
  };
}
