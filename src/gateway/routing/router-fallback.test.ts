import { describe, expect, it } from 'vitest';
import { upstreamStatusError } from '../../kit/upstream-status-error.js';
import { GatewayError } from '../../spec/index.js';
import { attemptsOf } from './route-types.js';
import { deployment, group, makeRouter, scripted } from './test-support/router-fixtures.js';

const serverError = () => upstreamStatusError('upstream', 500, {}, { message: 'boom' });
const tooLong = () => upstreamStatusError('upstream', 400, {}, { message: "This model's maximum context length is 8192 tokens" });

async function rejection(promise: Promise<unknown>): Promise<GatewayError> {
  try {
    await promise;
  } catch (error) {
    return error as GatewayError;
  }
  throw new Error('expected a rejection');
}

describe('Router fallbacks', () => {
  it('tries the fallback groups in order once a group has used its retries', async () => {
    const { router } = makeRouter(
      [group('m', [deployment('a')], { fallbacks: ['f1', 'f2'] }), group('f1', [deployment('b')]), group('f2', [deployment('c')])],
      { retry: { maxRetries: 1 } },
    );
    const { attempt, calls } = scripted({ a: [serverError(), serverError()], b: [serverError(), serverError()] });
    const outcome = await router.route('m', attempt);
    expect(outcome.value).toBe('ok:c');
    expect(outcome.group).toBe('f2');
    expect(outcome.deployment.id).toBe('c');
    expect(calls).toEqual(['a', 'a', 'b', 'b', 'c']);
    expect(outcome.attempts.map((record) => [record.group, record.reason])).toEqual([
      ['m', undefined],
      ['m', 'retry'],
      ['f1', 'fallback'],
      ['f1', 'retry'],
      ['f2', 'fallback'],
    ]);
  });

  it('throws the last error when every group failed', async () => {
    const { router } = makeRouter([group('m', [deployment('a')], { fallbacks: ['f'] }), group('f', [deployment('b')])], { retry: { maxRetries: 0 } });
    const { attempt } = scripted({ a: [serverError()], b: [upstreamStatusError('upstream', 429, {}, { message: 'slow down' })] });
    const error = await rejection(router.route('m', attempt));
    expect(error.code).toBe('upstream_rate_limited');
    expect(attemptsOf(error)?.map((record) => record.deploymentId)).toEqual(['a', 'b']);
  });

  it('ignores fallback names that are not groups, and does not follow a fallback group’s own fallbacks', async () => {
    const { router } = makeRouter(
      [group('m', [deployment('a')], { fallbacks: ['missing', 'f'] }), group('f', [deployment('b')], { fallbacks: ['g'] }), group('g', [deployment('c')])],
      { retry: { maxRetries: 0 } },
    );
    const { attempt, calls } = scripted({ a: [serverError()], b: [serverError()] });
    await rejection(router.route('m', attempt));
    expect(calls).toEqual(['a', 'b']);
  });

  it('sends context_length_exceeded to the context-window fallbacks, without retrying or using ordinary fallbacks', async () => {
    const { router, clock } = makeRouter([
      group('small', [deployment('a'), deployment('b')], { fallbacks: ['same-size'], contextWindowFallbacks: ['big'] }),
      group('same-size', [deployment('c')]),
      group('big', [deployment('d')]),
    ]);
    const { attempt, calls } = scripted({ a: [tooLong()] });
    const outcome = await router.route('small', attempt);
    expect(outcome.value).toBe('ok:d');
    expect(outcome.group).toBe('big');
    expect(calls).toEqual(['a', 'd']);
    expect(clock.sleeps).toEqual([]);
    expect(outcome.attempts.map((record) => [record.deploymentId, record.errorCode, record.reason])).toEqual([
      ['a', 'context_length_exceeded', undefined],
      ['d', undefined, 'context-window-fallback'],
    ]);
  });

  it('walks the context-window fallbacks in order while they are still too small', async () => {
    const { router } = makeRouter([
      group('small', [deployment('a')], { contextWindowFallbacks: ['medium', 'large'] }),
      group('medium', [deployment('b')]),
      group('large', [deployment('c')]),
    ]);
    const { attempt, calls } = scripted({ a: [tooLong()], b: [tooLong()] });
    const outcome = await router.route('small', attempt);
    expect(outcome.group).toBe('large');
    expect(calls).toEqual(['a', 'b', 'c']);
  });

  it('throws context_length_exceeded at once when there is no context-window fallback', async () => {
    const { router } = makeRouter([group('small', [deployment('a'), deployment('b')], { fallbacks: ['f'] }), group('f', [deployment('c')])]);
    const { attempt, calls } = scripted({ a: [tooLong()] });
    const error = await rejection(router.route('small', attempt));
    expect(error.code).toBe('context_length_exceeded');
    expect(calls).toEqual(['a']);
    expect(router.snapshot().find((line) => line.deploymentId === 'a')?.consecutiveFailures).toBe(0);
  });
});
