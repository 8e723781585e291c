// A minimal OpenAI-shaped upstream for the profiling aids, and the chat body they send: the upstream answers
// every request with one fixed chat completion, on 127.0.0.1 at a free port. (The shared harness has its own
// mock; these aids run without it.)
import { createServer } from 'node:http';

// The shared harness's non-streaming chat body (shared/bench/run.mjs).
export const chatBody = JSON.stringify({
  model: 'gpt-4o-mini',
  messages: [
    { role: 'system', content: 'You are a concise assistant for an operations team. Answer in plain text, no markdown. If you are unsure, say so. Prefer short sentences and concrete numbers.' },
    { role: 'user', content: 'Our nightly batch job failed twice this week with a timeout while calling the billing service. Summarise likely causes and the first three things to check, in at most five bullet points.' },
    { role: 'assistant', content: 'Likely causes: slow billing service, network saturation, or a retry storm. Check latency dashboards first.' },
    { role: 'user', content: 'Good. Now turn that into a checklist for the on-call engineer, with an owner for each step.' },
  ],
  max_tokens: 256,
  temperature: 0.2,
  user: 'bench',
});

/** Starts the upstream; resolves with its `/v1` base URL and a `close` function. */
export async function startChatUpstream(content) {
  const answer = JSON.stringify({ id: 'chatcmpl-1', object: 'chat.completion', created: 1, model: 'gpt-4o-mini', choices: [{ index: 0, message: { role: 'assistant', content }, finish_reason: 'stop' }], usage: { prompt_tokens: 180, completion_tokens: 9, total_tokens: 189 } });
  const server = createServer((incoming, outgoing) => {
    incoming.resume();
    incoming.on('end', () => outgoing.writeHead(200, { 'content-type': 'application/json' }).end(answer));
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${server.address().port}/v1`, close: () => server.close() };
}
