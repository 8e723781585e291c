import { describe, expect, it } from 'vitest';
import { createGatewayMetrics } from './metrics.js';
import { ledgerRow } from './usage-ledger-contract.js';

function sampleValue(text: string, prefix: string): number | undefined {
  const line = text.split('\n').find((candidate) => candidate.startsWith(prefix));
  return line === undefined ? undefined : Number(line.slice(line.lastIndexOf(' ') + 1));
}

describe('createGatewayMetrics', () => {
  it('renders the GenAI and gateway metrics with the recorded values', async () => {
    const metrics = createGatewayMetrics();
    metrics.record(
      ledgerRow({
        id: 'm1',
        stream: true,
        inputTokens: 100,
        cacheReadTokens: 50,
        outputTokens: 20,
        reasoningTokens: 5,
        latencyMs: 1500,
        timeToFirstTokenMs: 300,
        gatewayOverheadMs: 0.8,
        costMicros: 42,
      }),
    );
    const text = await metrics.render();
    expect(metrics.contentType).toContain('text/plain');
    for (const name of [
      'gen_ai_client_token_usage',
      'gen_ai_client_operation_duration_seconds',
      'gen_ai_server_time_to_first_token_seconds',
      'switchyard_gateway_overhead_seconds',
      'switchyard_requests_total',
      'switchyard_cost_micros_total',
    ]) {
      expect(text).toContain(`# TYPE ${name} `);
    }
    const labels =
      'gen_ai_operation_name="chat",gen_ai_provider_name="openai",gen_ai_request_model="gpt-4o-mini",gen_ai_response_model="gpt-4o-mini"';
    expect(sampleValue(text, `gen_ai_client_token_usage_sum{${labels},gen_ai_token_type="input"}`)).toBe(150);
    expect(sampleValue(text, `gen_ai_client_token_usage_sum{${labels},gen_ai_token_type="output"}`)).toBe(25);
    expect(sampleValue(text, `gen_ai_client_token_usage_bucket{le="256",${labels},gen_ai_token_type="input"}`)).toBe(1);
    expect(sampleValue(text, `gen_ai_client_token_usage_bucket{le="64",${labels},gen_ai_token_type="input"}`)).toBe(0);
    expect(sampleValue(text, `gen_ai_client_operation_duration_seconds_sum{${labels},error_type=""}`)).toBe(1.5);
    expect(sampleValue(text, `gen_ai_client_operation_duration_seconds_bucket{le="81.92",${labels},error_type=""}`)).toBe(1);
    expect(sampleValue(text, `gen_ai_server_time_to_first_token_seconds_sum{${labels}}`)).toBe(0.3);
    expect(sampleValue(text, 'switchyard_gateway_overhead_seconds_sum{dialect="openai"}')).toBe(0.0008);
    expect(sampleValue(text, 'switchyard_requests_total{dialect="openai",gen_ai_operation_name="chat",gen_ai_provider_name="openai",gen_ai_response_model="gpt-4o-mini",status="ok",error_type=""}')).toBe(1);
    expect(sampleValue(text, 'switchyard_tokens_total{gen_ai_provider_name="openai",gen_ai_response_model="gpt-4o-mini",token_type="input"}')).toBe(100);
    expect(sampleValue(text, 'switchyard_tokens_total{gen_ai_provider_name="openai",gen_ai_response_model="gpt-4o-mini",token_type="cache_read"}')).toBe(50);
    expect(sampleValue(text, 'switchyard_tokens_total{gen_ai_provider_name="openai",gen_ai_response_model="gpt-4o-mini",token_type="reasoning"}')).toBe(5);
    expect(sampleValue(text, 'switchyard_prompt_cache_hits_total{gen_ai_provider_name="openai",gen_ai_response_model="gpt-4o-mini"}')).toBe(1);
    expect(sampleValue(text, 'switchyard_cost_micros_total{gen_ai_provider_name="openai",gen_ai_response_model="gpt-4o-mini"}')).toBe(42);
  });

  it('labels errors, skips unknown usage and hides unroutable model names', async () => {
    const metrics = createGatewayMetrics();
    metrics.record(
      ledgerRow({
        id: 'e1',
        dialect: 'anthropic',
        requestedModel: 'made-up-model-name',
        servedProvider: undefined,
        servedModel: undefined,
        attempts: [],
        status: 'error',
        httpStatus: 404,
        errorCode: 'model_not_found',
        inputTokens: undefined,
        outputTokens: undefined,
        costMicros: undefined,
        usageSource: 'none',
        timeToFirstTokenMs: 10,
      }),
    );
    const text = await metrics.render();
    expect(text).not.toContain('made-up-model-name');
    expect(text).toContain('error_type="model_not_found"');
    expect(text).toContain('gen_ai_request_model="_OTHER"');
    expect(
      sampleValue(text, 'switchyard_requests_total{dialect="anthropic",gen_ai_operation_name="chat",gen_ai_provider_name="_OTHER",gen_ai_response_model="_OTHER",status="error",error_type="model_not_found"}'),
    ).toBe(1);
    expect(text).not.toMatch(/^gen_ai_client_token_usage_count/m);
    expect(text).not.toMatch(/^gen_ai_server_time_to_first_token_seconds_count/m);
    expect(text).not.toMatch(/^switchyard_cost_micros_total\{/m);
  });

  it('keeps each instance in its own registry', async () => {
    const first = createGatewayMetrics();
    const second = createGatewayMetrics();
    first.record(ledgerRow({ id: 'i1' }));
    expect(sampleValue(await first.render(), 'switchyard_requests_total{dialect="openai",gen_ai_operation_name="chat",gen_ai_provider_name="openai",gen_ai_response_model="gpt-4o-mini",status="ok",error_type=""}')).toBe(1);
    expect(sampleValue(await second.render(), 'switchyard_requests_total{dialect="openai",gen_ai_operation_name="chat",gen_ai_provider_name="openai",gen_ai_response_model="gpt-4o-mini",status="ok",error_type=""}')).toBeUndefined();
  });
});
