import { GatewayError, type CallOptions, type ChatEvent, type ChatStream, type Clock, type Logger, type UpstreamClient } from '../spec/index.js';
import type { DecodedChatRequest } from '../dialects/dialect.js';
import { createAttemptSignal, type AttemptSignal } from './attempt-signal.js';
import type { ChatOutcome } from './chat-outcome.js';
import type { ModelResolver } from './model-resolver.js';
import { callPassthrough, type FastPathRequest } from './passthrough-call.js';
import type { ProviderInstance } from './provider-set.js';
import type { RequestContext } from './request-context.js';
import type { Router } from './routing/index.js';
import type { TracePropagation } from '../observatory/tracing/request-timeline.js';

/** What the chat handler needs. */
export interface ChatRouteDependencies {
  router: Router;
  resolver: ModelResolver;
  providers: ReadonlyMap<string, ProviderInstance>;
  http: UpstreamClient;
  clock: Clock;
  logger: Logger;
  firstTokenMs: number;
  /** Present when tracing is on: each provider call then carries a `traceparent` naming its attempt span. */
  tracing?: TracePropagation;
}

/**
 * The innermost chat stage: resolves the model to a group, lets the router pick deployments (with retries,
 * fallbacks and breakers), and calls the provider. A stream is read up to its first content inside the
 * attempt, so a failure before the first token is still retried elsewhere.
 */
export function createChatRouteHandler(dependencies: ChatRouteDependencies) {
  const { router, resolver, providers, http, clock, logger, firstTokenMs, tracing } = dependencies;
  return async (context: RequestContext, decoded: DecodedChatRequest, fastPath?: FastPathRequest): Promise<ChatOutcome> => {
    const group = resolver.resolve(context.requestedModel);
    // A guardrail's re-ask routes a second time for the same request: its calls number on from the first's,
    // so each call's trace span stays its own.
    const earlierCalls = context.attempts.length === 0 ? 0 : context.attempts.filter((attempt) => attempt.outcome !== 'skipped').length;
    // A fast-path stream ends after routing returns; its settle call is wired once the router's outcome exists.
    let settleStream: (errorCode: string | undefined) => void = () => undefined;
    const outcome = await router.route(
      group,
      async (deployment, attemptNumber) => {
        const instance = providers.get(deployment.provider);
        if (instance === undefined) throw new GatewayError('internal_error', `Deployment ${deployment.id} names an unknown provider`);
        const upstream = tracing === undefined ? http : tracing.upstreamClient(http, context, earlierCalls + attemptNumber);
        const passthrough = instance.adapter.passthrough;
        if (fastPath !== undefined && fastPath.dialect.passthrough !== undefined && passthrough?.dialect === fastPath.dialect.id) {
          // Same wire on both sides: forward the client's body. Non-streaming calls rely on the HTTP client's
          // headers timeout (= first-token timeout), so they need no deadline of their own.
          const attempt = context.stream ? createAttemptSignal(context.signal, firstTokenMs) : undefined;
          const call: CallOptions = { signal: attempt?.signal ?? context.signal, http: upstream, clock, logger };
          try {
            const result = await callPassthrough(passthrough, instance.name, fastPath, deployment.model, context, call, clock, (errorCode) => {
              attempt?.dispose();
              settleStream(errorCode);
            });
            attempt?.commit();
            return result;
          } catch (error) {
            attempt?.dispose();
            throw error;
          }
        }
        const request = { ...decoded.request, model: deployment.model };
        const attempt = createAttemptSignal(context.signal, firstTokenMs);
        const call: CallOptions = { signal: attempt.signal, http: upstream, clock, logger };
        try {
          if (!context.stream) {
            const result = await instance.adapter.doChat(request, call);
            attempt.dispose();
            return { kind: 'result', result } as ChatOutcome;
          }
          const stream = await instance.adapter.doChatStream(request, call);
          return { kind: 'stream', events: await readToFirstContent(stream, attempt) } as ChatOutcome;
        } catch (error) {
          attempt.dispose();
          throw error;
        }
      },
      { signal: context.signal, onAttempt: (record) => context.attempts.push(record) },
    );
    context.served = { provider: outcome.deployment.provider, model: outcome.deployment.model, deploymentId: outcome.deployment.id };
    const value = outcome.value;
    if (value.kind === 'result' || value.kind === 'passthrough-result') {
      outcome.settle({ ok: true });
      return value;
    }
    if (value.kind === 'passthrough-stream') {
      settleStream = (errorCode) => outcome.settle({ ok: errorCode === undefined, errorCode });
      return value;
    }
    const committedAt = clock.monotonic();
    return {
      kind: 'stream',
      events: settleWhenDone(value.events, (errorCode) => {
        context.upstreamMs += clock.monotonic() - committedAt;
        outcome.settle({ ok: errorCode === undefined, errorCode });
      }),
    };
  };
}

/**
 * Pulls events until the first one that carries content (or ends the stream). An error before that is
 * thrown, so the router may retry; after it, the attempt is committed and its deadline cleared.
 */
async function readToFirstContent(stream: ChatStream, attempt: AttemptSignal): Promise<AsyncIterable<ChatEvent>> {
  const iterator = stream[Symbol.asyncIterator]();
  const head: ChatEvent[] = [];
  for (;;) {
    const step = await iterator.next();
    if (step.done) break;
    const event = step.value;
    if (event.type === 'error') {
      // Nothing has reached the client: surface it as the attempt's failure.
      await iterator.return?.();
      throw event.error;
    }
    head.push(event);
    if (event.type !== 'stream-start') break;
  }
  attempt.commit();
  return {
    async *[Symbol.asyncIterator]() {
      try {
        yield* head;
        for (;;) {
          const step = await iterator.next();
          if (step.done) return;
          yield step.value;
        }
      } finally {
        attempt.dispose();
        await iterator.return?.();
      }
    },
  };
}

/** Calls `done` once when the stream ends, with the error code of a failed stream. */
async function* settleWhenDone(events: AsyncIterable<ChatEvent>, done: (errorCode: string | undefined) => void): AsyncGenerator<ChatEvent> {
  let errorCode: string | undefined = 'client_closed_request';
  try {
    for await (const event of events) {
      if (event.type === 'finish') errorCode = undefined;
      else if (event.type === 'error') errorCode = event.error.code;
      yield event;
    }
  } finally {
    done(errorCode);
  }
}
