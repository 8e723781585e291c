import { z } from 'zod';
import type { LinearModel } from './linear-model.js';

/**
 * The committed model file: a JSON header plus the weights as little-endian int16 in base64 (one linear
 * scale for all weights). 2^18 weights take 512 KiB raw, ~700 KB as base64; int16 keeps the relative
 * error below 1e-4 of the largest weight, far under what moves a decision.
 */
const domainThresholdsSchema = z.object({ model: z.number().min(0).max(1), combined: z.number().min(0).max(1) });

const modelFileSchema = z.object({
  format: z.literal('switchyard-injection-model'),
  version: z.literal(1),
  features: z.object({
    dimensionBits: z.number().int().min(8).max(24),
    charMin: z.number().int().min(1),
    charMax: z.number().int().min(1),
    wordMax: z.number().int().min(1),
  }),
  bias: z.number(),
  thresholds: domainThresholdsSchema.extend({ document: domainThresholdsSchema.optional() }),
  weightScale: z.number().positive(),
  weights: z.string(),
  /** Free-form provenance: data sources, row counts, options, date. Not used for scoring. */
  training: z.record(z.string(), z.unknown()),
});

export type ModelFile = z.infer<typeof modelFileSchema>;

/** Encodes a model (and its provenance) as the committed file's JSON object. */
export function serialiseModel(model: LinearModel, training: Record<string, unknown>): ModelFile {
  let largest = 0;
  for (const weight of model.weights) largest = Math.max(largest, Math.abs(weight));
  const weightScale = largest > 0 ? largest / 32767 : 1;
  const quantised = new Int16Array(model.weights.length);
  for (let index = 0; index < quantised.length; index += 1) quantised[index] = Math.round(model.weights[index] / weightScale);
  return {
    format: 'switchyard-injection-model',
    version: 1,
    features: { ...model.features },
    bias: model.bias,
    thresholds: structuredClone(model.thresholds),
    weightScale,
    weights: Buffer.from(quantised.buffer, quantised.byteOffset, quantised.byteLength).toString('base64'),
    training,
  };
}

/** Decodes and validates a model file; throws on anything malformed. */
export function parseModel(raw: unknown): LinearModel {
  const file = modelFileSchema.parse(raw);
  const bytes = Buffer.from(file.weights, 'base64');
  const dimension = 1 << file.features.dimensionBits;
  if (bytes.length !== dimension * 2) throw new Error(`injection model: expected ${dimension} weights, found ${bytes.length / 2}`);
  const weights = new Float32Array(dimension);
  for (let index = 0; index < dimension; index += 1) weights[index] = bytes.readInt16LE(index * 2) * file.weightScale;
  return { features: file.features, weights, bias: file.bias, thresholds: file.thresholds };
}
