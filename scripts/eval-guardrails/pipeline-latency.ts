/**
 * Latency of the guardrails' input stage as the gateway runs it (`guardInput`: policy, channels, time
 * budgets, masking into the canonical request), on a 4 KB user prompt with a few PII values and a key.
 * Two policies: the default cheap set (PII mask, secrets and invisible text flag) and the same plus the
 * prompt-injection scanner (rules and the shipped model) on block.
 *
 *   npx tsx scripts/eval-guardrails/pipeline-latency.ts [--check]   (exit 1 when a p95 is over 5 ms with --check)
 */
import { argv } from 'node:process';
import { cpus, loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import type { ChatRequest } from '../../src/spec/index.js';
import { GuardrailDecisions, GuardrailPolicyResolver, guardInput, guardrailsConfigSchema } from '../../src/sentinel/guardrails/index.js';

const runs = 2000;
const clock = { monotonic: () => performance.now() };

/** A 4 KB prompt, varied per iteration so no memoisation helps. */
function prompt(iteration: number): string {
  const paragraph =
    'Please summarise the attached customer ticket and draft a polite reply. The customer says the invoice for ' +
    'March was charged twice and asks for a refund to the original payment method. Keep the tone friendly, ' +
    'mention the refund timeline of five to seven business days, and do not promise anything about fees. ';
  const pii = `Contact: jane.roe${iteration}@example.com, phone +44 20 7946 0${String(iteration % 1000).padStart(3, '0')}, card 4111 1111 1111 1111, key AKIAIOSFODNN7EXAMPL${iteration % 10}. `;
  let text = `Ticket ${iteration}. ${pii}`;
  while (text.length < 4096) text += paragraph;
  return text.slice(0, 4096);
}

function percentile(sorted: number[], fraction: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(fraction * sorted.length))];
}

const failures: string[] = [];

function measure(label: string, scanners: unknown[]): void {
  const resolver = new GuardrailPolicyResolver({ guardrails: guardrailsConfigSchema.parse({ scanners }) });
  const policy = resolver.policyFor({})!;
  const run = (iteration: number) => {
    const request: ChatRequest = { model: 'm', messages: [{ role: 'system', content: [{ type: 'text', text: 'You are a support agent.' }] }, { role: 'user', content: [{ type: 'text', text: prompt(iteration) }] }] };
    return guardInput(request, policy, clock, new GuardrailDecisions());
  };
  for (let iteration = 0; iteration < 200; iteration += 1) run(-iteration - 1);
  const wall: number[] = [];
  const cpu: number[] = [];
  let masked = 0;
  for (let iteration = 0; iteration < runs; iteration += 1) {
    const cpuStarted = process.cpuUsage();
    const started = performance.now();
    const result = run(iteration);
    wall.push(performance.now() - started);
    const used = process.cpuUsage(cpuStarted);
    cpu.push((used.user + used.system) / 1000);
    if (result.replacements.length > 0) masked += 1;
  }
  wall.sort((left, right) => left - right);
  cpu.sort((left, right) => left - right);
  const p95 = percentile(wall, 0.95);
  if (p95 > 5) failures.push(`${label}: wall p95 ${p95.toFixed(2)} ms`);
  console.log(`| ${label} | wall | ${percentile(wall, 0.5).toFixed(3)} | ${p95.toFixed(3)} | ${percentile(wall, 0.99).toFixed(3)} | ${masked}/${runs} |`);
  console.log(`| ${label} | CPU | ${percentile(cpu, 0.5).toFixed(3)} | ${percentile(cpu, 0.95).toFixed(3)} | ${percentile(cpu, 0.99).toFixed(3)} | |`);
}

console.log(`### Guardrails input stage, 4 KB prompt, ${runs} runs (target p95 <= 5 ms)\n`);
console.log('| policy | clock | p50 ms | p95 ms | p99 ms | requests masked |');
console.log('|---|---|---|---|---|---|');
const cheap = [
  { type: 'pii', action: 'mask' },
  { type: 'secrets', action: 'flag' },
  { type: 'invisible_text', action: 'flag' },
];
measure('pii mask + secrets + invisible text', cheap);
measure('the same + injection (rules and model)', [...cheap, { type: 'injection', action: 'block' }]);
// Wall time includes waiting for a core on a busy machine; CPU time is what the stage itself costs.
console.log(`\nMachine load average at the end: ${loadavg().map((value) => value.toFixed(1)).join(' / ')} on ${cpus().length} cores.`);
if (failures.length > 0) {
  console.log(`\nTargets missed: ${failures.join('; ')}`);
  if (argv.includes('--check')) process.exitCode = 1;
}
