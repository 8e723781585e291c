/** Guardrails on the request path: configuration, policies, the input and output guards, restoration. */
export { guardrailsConfigSchema, guardrailLevelSchema, guardrailScannerSchema, type GuardrailsConfig, type GuardrailLevelConfig, type GuardrailScannerConfig, type GuardrailChannel } from './guardrails-config.js';
export { GuardrailPolicyResolver, type GuardrailSources, type GuardrailSubject } from './guardrail-policy-resolver.js';
export { resolveGuardrailPolicy, withCanary, GuardrailScannerFactory, type GuardrailPolicy, type PolicyScanner, type PolicyCanary, type PolicySchemaCheck } from './guardrail-policy.js';
export { createCanaryToken, canaryInstruction, addCanaryToSystemPrompt } from './canary-token.js';
export { compileJsonSchema, judgeJsonAnswer, jsonSchemaProblem, type JsonAnswerFailure } from './json-schema-validators.js';
export { activeSchemaChecks, enforceSchemaChecks, judgeStreamAtEnd, reaskRequest, type ActiveSchemaCheck, type SchemaEnforcement } from './output-schema-guard.js';
export { GuardrailDecisions, guardrailsHeader, type GuardrailDecision, type GuardrailOutcome } from './guardrail-decisions.js';
export { guardInput, maskJsonValues, isRetrievedName, type GuardrailBlock, type InputGuardResult } from './input-guard.js';
export { guardResult, guardStream, blockError } from './output-guard.js';
export { restoreResult, restoreStream } from './restore-answer.js';
export { PlaceholderStreamRestorer } from './placeholder-stream-restorer.js';
export type { RequestGuardrails } from './request-guardrails.js';
