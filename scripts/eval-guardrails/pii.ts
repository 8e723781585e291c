/**
 * Evaluates the deterministic Sentinel scanners:
 * 1. PII span precision / recall / F2 per entity type on `../shared/datasets/presidio-synth-pii`
 *    (a prediction matches a gold span of the mapped type when intersection / union >= 0.5);
 * 2. secrets recall per type and variant, and false positives on hard negatives, on a seeded synthetic set;
 * 3. latency p50 / p95 of the default input scanners (PII + secrets + invisible text) on 4 KB prompts.
 *
 * Usage: npm run eval:guardrails:pii [-- --dataset <path>] [-- --check] [-- --errors]
 * `--check` exits 1 when a target from issue 5 is missed (the opt-in person target from the research notes
 * is reported, not enforced); `--errors` lists mismatches.
 */
import { readFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createDefaultInputScanners, createPiiScanner, createSecretsScanner } from '../../src/sentinel/scanners/index.js';
import type { Finding, Scanner } from '../../src/sentinel/scanner.js';
import { generateSecretSamples } from './secret-samples.js';

const argv = process.argv.slice(2);
const option = (name: string): string | undefined => {
  const index = argv.indexOf(name);
  return index >= 0 ? argv[index + 1] : undefined;
};
const datasetPath = resolve(option('--dataset') ?? '../shared/datasets/presidio-synth-pii/data.jsonl');
const showErrors = argv.includes('--errors');

/** Dataset label -> our entity type. Labels not listed are reported as not covered. */
const labelMapping: Record<string, string> = {
  EMAIL_ADDRESS: 'email',
  PHONE_NUMBER: 'phone',
  CREDIT_CARD: 'credit_card',
  IBAN_CODE: 'iban',
  US_SSN: 'us_ssn',
  IP_ADDRESS: 'ip_address',
  DOMAIN_NAME: 'url',
};

/** Targets from issue 5 (precision, recall). */
const targets: Record<string, [number, number]> = {
  email: [0.99, 0.99],
  url: [0.99, 0.99],
  iban: [0.99, 0.99],
  us_ssn: [0.99, 0.99],
  credit_card: [0.99, 0.99],
  ip_address: [0.97, 0.97],
  phone: [0.9, 0.85],
};

interface Row {
  id: string;
  text: string;
  spans: { start: number; end: number; type: string; value: string }[];
}

interface Counts {
  truePositives: number;
  falsePositives: number;
  falseNegatives: number;
}

const overlapRatio = (left: { start: number; end: number }, right: { start: number; end: number }): number => {
  const intersection = Math.min(left.end, right.end) - Math.max(left.start, right.start);
  if (intersection <= 0) return 0;
  return intersection / (Math.max(left.end, right.end) - Math.min(left.start, right.start));
};

const ratio = (numerator: number, denominator: number): number => (denominator === 0 ? 1 : numerator / denominator);
const fixed = (value: number): string => value.toFixed(3);
const failures: string[] = [];

/**
 * Scores `scanner` on the dataset for the labels in `mapping`; gold spans of other labels are listed as not
 * covered, and predictions on them count as false positives.
 */
function evaluatePii(title: string, scanner: Scanner, mapping: Record<string, string>, goals: Record<string, [number, number]>, gating = true): void {
  const rows: Row[] = readFileSync(datasetPath, 'utf8').trim().split('\n').map((line) => JSON.parse(line) as Row);
  const counts = new Map<string, Counts>();
  const countsFor = (type: string): Counts => {
    let entry = counts.get(type);
    if (!entry) counts.set(type, (entry = { truePositives: 0, falsePositives: 0, falseNegatives: 0 }));
    return entry;
  };
  const notCovered = new Map<string, number>();
  const falsePositiveOn = new Map<string, number>();
  const errors: string[] = [];
  for (const row of rows) {
    const predictions = scanner.scan(row.text, { channel: 'user' }).findings;
    const used = new Set<Finding>();
    for (const gold of row.spans) {
      const type = mapping[gold.type];
      if (!type) {
        notCovered.set(gold.type, (notCovered.get(gold.type) ?? 0) + 1);
        continue;
      }
      const match = predictions.find((prediction) => !used.has(prediction) && prediction.type === type && overlapRatio(prediction, gold) >= 0.5);
      if (match) {
        used.add(match);
        countsFor(type).truePositives += 1;
      } else {
        countsFor(type).falseNegatives += 1;
        errors.push(`FN ${type} ${row.id}: ${JSON.stringify(gold.value)}`);
      }
    }
    for (const prediction of predictions) {
      if (used.has(prediction)) continue;
      countsFor(prediction.type).falsePositives += 1;
      const under = row.spans.find((gold) => overlapRatio(prediction, gold) > 0);
      const key = `${prediction.type} on ${under ? under.type : 'no gold span'}`;
      falsePositiveOn.set(key, (falsePositiveOn.get(key) ?? 0) + 1);
      errors.push(`FP ${key} ${row.id}: ${JSON.stringify(row.text.slice(prediction.start, prediction.end))}`);
    }
  }

  console.log(`### ${title}, presidio-synth-pii (${rows.length} rows; match = same type, IoU >= 0.5)\n`);
  console.log('| entity | gold | TP | FP | FN | precision | recall | F2 | target P / R | met |');
  console.log('|---|---|---|---|---|---|---|---|---|---|');
  for (const type of Object.keys(goals)) {
    const entry = countsFor(type);
    const precision = ratio(entry.truePositives, entry.truePositives + entry.falsePositives);
    const recall = ratio(entry.truePositives, entry.truePositives + entry.falseNegatives);
    const f2 = precision + recall === 0 ? 0 : (5 * precision * recall) / (4 * precision + recall);
    const [targetPrecision, targetRecall] = goals[type];
    const met = precision >= targetPrecision && recall >= targetRecall;
    if (!met && gating) failures.push(`pii ${type}: P ${fixed(precision)} R ${fixed(recall)}`);
    const gold = entry.truePositives + entry.falseNegatives;
    console.log(`| ${type} | ${gold} | ${entry.truePositives} | ${entry.falsePositives} | ${entry.falseNegatives} | ${fixed(precision)} | ${fixed(recall)} | ${fixed(f2)} | ${targetPrecision} / ${targetRecall} | ${met ? 'yes' : 'NO'} |`);
  }
  console.log(`\nNot covered by these scanners (gold spans, not scored): ${[...notCovered].map(([type, count]) => `${type} ${count}`).join(', ')}.`);
  if (falsePositiveOn.size > 0) console.log(`False positives by what they hit: ${[...falsePositiveOn].map(([key, count]) => `${key} ${count}`).join(', ')}.`);
  if (showErrors) console.log(`\n${errors.join('\n')}`);
}

function evaluateSecrets(): void {
  const samples = generateSecretSamples();
  const scanner = createSecretsScanner();
  const recall = new Map<string, { found: number; total: number }>();
  const negatives = new Map<string, { fired: number; blocked: number; total: number }>();
  const errors: string[] = [];
  for (const sample of samples) {
    const findings = scanner.scan(sample.text, { channel: 'user' }).findings;
    if (sample.type) {
      const found = findings.some((finding) => finding.type === sample.type && finding.start < sample.end! && sample.start! < finding.end);
      for (const key of [sample.type, `all (${sample.variant})`]) {
        const entry = recall.get(key) ?? { found: 0, total: 0 };
        entry.total += 1;
        if (found) entry.found += 1;
        recall.set(key, entry);
      }
      if (!found) errors.push(`FN ${sample.type} ${sample.variant}: ${JSON.stringify(sample.text.slice(0, 160))}`);
    } else {
      const entry = negatives.get(sample.variant) ?? { fired: 0, blocked: 0, total: 0 };
      entry.total += 1;
      if (findings.length > 0) {
        entry.fired += 1;
        errors.push(`FP ${sample.variant} ${findings.map((finding) => finding.type).join(',')}: ${JSON.stringify(sample.text.slice(0, 160))}`);
      }
      if (findings.some((finding) => finding.score >= 0.9)) entry.blocked += 1;
      negatives.set(sample.variant, entry);
    }
  }
  console.log(`\n### Secrets, seeded synthetic set (${samples.length} samples, seed 20261127)\n`);
  console.log('| type / variant | found / total | recall |');
  console.log('|---|---|---|');
  for (const [key, entry] of [...recall].sort(([left], [right]) => left.localeCompare(right))) {
    const value = ratio(entry.found, entry.total);
    if (value < 0.99) failures.push(`secrets recall ${key}: ${fixed(value)}`);
    console.log(`| ${key} | ${entry.found} / ${entry.total} | ${fixed(value)} |`);
  }
  console.log('\n| hard negative family | any finding | score >= 0.9 | total |');
  console.log('|---|---|---|---|');
  let fired = 0;
  let total = 0;
  for (const [family, entry] of negatives) {
    fired += entry.fired;
    total += entry.total;
    console.log(`| ${family} | ${entry.fired} | ${entry.blocked} | ${entry.total} |`);
  }
  const falsePositiveRate = ratio(fired, total);
  if (falsePositiveRate > 0.005) failures.push(`secrets hard-negative FP rate ${fixed(falsePositiveRate)}`);
  console.log(`\nFalse-positive rate on hard negatives: ${(falsePositiveRate * 100).toFixed(2)} % (target <= 0.5 %).`);
  if (showErrors) console.log(`\n${errors.join('\n')}`);
}

/** A 4 KB prompt: prose with a few PII values and one key, varied per iteration so no cache helps. */
function prompt(iteration: number): string {
  const paragraph =
    'Please summarise the attached customer ticket and draft a polite reply. The customer says the invoice for ' +
    'March was charged twice and asks for a refund to the original payment method. Keep the tone friendly, ' +
    'mention the refund timeline of five to seven business days, and do not promise anything about fees. ';
  const pii = `Contact: jane.roe${iteration}@example.com, phone +44 20 7946 0${String(iteration % 1000).padStart(3, '0')}, card 4111 1111 1111 1111. `;
  let text = `Ticket ${iteration}. ${pii}`;
  while (text.length < 4096) text += paragraph;
  return text.slice(0, 4096);
}

function percentile(sorted: number[], fraction: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(fraction * sorted.length))];
}

function evaluateLatency(): void {
  const scanners = createDefaultInputScanners();
  const context = { channel: 'user' as const };
  for (let iteration = 0; iteration < 200; iteration += 1) for (const scanner of scanners) scanner.scan(prompt(-iteration), context);
  const wall: number[] = [];
  const cpu: number[] = [];
  for (let iteration = 0; iteration < 2000; iteration += 1) {
    const text = prompt(iteration);
    const cpuStarted = process.cpuUsage();
    const started = performance.now();
    for (const scanner of scanners) scanner.scan(text, context);
    wall.push(performance.now() - started);
    const cpuUsed = process.cpuUsage(cpuStarted);
    cpu.push((cpuUsed.user + cpuUsed.system) / 1000);
  }
  wall.sort((left, right) => left - right);
  cpu.sort((left, right) => left - right);
  const p95 = percentile(wall, 0.95);
  if (p95 > 5) failures.push(`latency p95 ${p95.toFixed(2)} ms`);
  // Wall time includes waiting for a core on a busy machine; CPU time is what the scan itself costs.
  console.log('\n### Latency, default input scanners (PII + secrets + invisible text), 4 KB prompt, 2,000 runs\n');
  console.log(`| clock | p50 ms | p95 ms | p99 ms | target p95 |`);
  console.log('|---|---|---|---|---|');
  console.log(`| wall | ${percentile(wall, 0.5).toFixed(3)} | ${p95.toFixed(3)} | ${percentile(wall, 0.99).toFixed(3)} | <= 5 ms |`);
  console.log(`| CPU | ${percentile(cpu, 0.5).toFixed(3)} | ${percentile(cpu, 0.95).toFixed(3)} | ${percentile(cpu, 0.99).toFixed(3)} | |`);
  console.log(`\nMachine load average at the end: ${loadavg().map((value) => value.toFixed(1)).join(' / ')} on ${cpus().length} cores.`);
}

evaluatePii('PII', createPiiScanner(), labelMapping, targets);
evaluatePii('Person names (opt-in)', createPiiScanner({ entities: ['person'] }), { PERSON: 'person' }, { person: [0.75, 0.65] }, false);
evaluateSecrets();
evaluateLatency();
if (failures.length > 0) {
  console.log(`\nTargets missed: ${failures.join('; ')}`);
  if (argv.includes('--check')) process.exitCode = 1;
}
