// A minimal OpenAI-shaped upstream for the profiling aids: answers every request with one fixed chat
// completion, on 127.0.0.1 at a free port. (The shared harness has its own mock; these aids run without it.)
import { createServer } from 'node:http';

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
