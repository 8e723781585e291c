import { z } from 'zod';

// zod schemas for what Gemini sends back (proto3 JSON mapping: lowerCamelCase, enums as strings). They are
// loose: unknown fields pass, so a new Gemini feature never breaks parsing, but a wrong type is caught.

const functionCallSchema = z.looseObject({
  id: z.string().optional(),
  name: z.string(),
  args: z.record(z.string(), z.unknown()).nullish(),
});

/** One `Part` of a response (only the fields the adapter reads are typed). */
export const geminiPartSchema = z.looseObject({
  text: z.string().optional(),
  thought: z.boolean().optional(),
  thoughtSignature: z.string().optional(),
  functionCall: functionCallSchema.optional(),
});

/** `GenerateContentResponse.usageMetadata`. */
export const geminiUsageMetadataSchema = z.looseObject({
  promptTokenCount: z.number().int().nonnegative().optional(),
  cachedContentTokenCount: z.number().int().nonnegative().optional(),
  candidatesTokenCount: z.number().int().nonnegative().optional(),
  toolUsePromptTokenCount: z.number().int().nonnegative().optional(),
  thoughtsTokenCount: z.number().int().nonnegative().optional(),
  totalTokenCount: z.number().int().nonnegative().optional(),
});

/** One `Candidate`. */
export const geminiCandidateSchema = z.looseObject({
  index: z.number().int().nonnegative().optional(),
  content: z.looseObject({ role: z.string().optional(), parts: z.array(geminiPartSchema).optional() }).optional(),
  finishReason: z.string().optional(),
  finishMessage: z.string().optional(),
  safetyRatings: z.array(z.unknown()).optional(),
  citationMetadata: z.unknown().optional(),
  groundingMetadata: z.unknown().optional(),
});

/** `GenerateContentResponse`: the whole answer, or one stream chunk. */
export const geminiResponseSchema = z.looseObject({
  candidates: z.array(geminiCandidateSchema).optional(),
  promptFeedback: z
    .looseObject({ blockReason: z.string().optional(), safetyRatings: z.array(z.unknown()).optional() })
    .optional(),
  usageMetadata: geminiUsageMetadataSchema.optional(),
  modelVersion: z.string().optional(),
  responseId: z.string().optional(),
});

/** `EmbedContentResponse`. */
export const geminiEmbedResponseSchema = z.looseObject({
  embedding: z.looseObject({ values: z.array(z.number()) }),
});

/** `BatchEmbedContentsResponse`. */
export const geminiBatchEmbedResponseSchema = z.looseObject({
  embeddings: z.array(z.looseObject({ values: z.array(z.number()) })),
});

/** `CountTokensResponse`. */
export const geminiCountTokensResponseSchema = z.looseObject({
  totalTokens: z.number().int().nonnegative().optional(),
});

/** `ListModelsResponse`. */
export const geminiListModelsResponseSchema = z.looseObject({
  models: z
    .array(
      z.looseObject({
        name: z.string(),
        displayName: z.string().optional(),
        inputTokenLimit: z.number().int().optional(),
        outputTokenLimit: z.number().int().optional(),
        supportedGenerationMethods: z.array(z.string()).optional(),
      }),
    )
    .optional(),
  nextPageToken: z.string().optional(),
});

export type GeminiPart = z.infer<typeof geminiPartSchema>;
export type GeminiCandidate = z.infer<typeof geminiCandidateSchema>;
export type GeminiResponse = z.infer<typeof geminiResponseSchema>;
export type GeminiUsageMetadata = z.infer<typeof geminiUsageMetadataSchema>;

/** A request `Part`, as the adapter sends it. */
export type GeminiRequestPart =
  | { text: string; thought?: boolean; thoughtSignature?: string }
  | { inlineData: { mimeType: string; data: string } }
  | { fileData: { fileUri: string; mimeType?: string } }
  | { functionCall: { id?: string; name: string; args: Record<string, unknown> }; thoughtSignature?: string }
  | { functionResponse: { id?: string; name: string; response: Record<string, unknown> } };

/** A request `Content` (one turn). */
export interface GeminiContent {
  role: 'user' | 'model';
  parts: GeminiRequestPart[];
}

/** One `Model` of the list. */
export type GeminiModel = NonNullable<z.infer<typeof geminiListModelsResponseSchema>['models']>[number];
