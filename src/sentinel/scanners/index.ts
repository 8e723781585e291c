/**
 * The deterministic Sentinel scanners (PII, secrets, invisible text, custom rules) and the masking
 * helpers. Library code: the request pipeline wires them with per-workspace policies.
 */
import type { Scanner } from '../scanner.js';
import { createInvisibleTextScanner } from './invisible-text-scanner.js';
import { createPiiScanner, type PiiScannerOptions } from './pii-scanner.js';
import { createSecretsScanner, type SecretsScannerOptions } from './secrets-scanner.js';

export { createPiiScanner, type PiiScannerOptions } from './pii-scanner.js';
export { createSecretsScanner, createSecretsDetector, type SecretsScannerOptions } from './secrets-scanner.js';
export { createInvisibleTextScanner } from './invisible-text-scanner.js';
export { createCustomScanner, customScannerConfigSchema, type CustomScannerConfig } from './custom-scanner.js';
export { createCanaryScanner, canaryLeakType } from './canary-scanner.js';
export { checkRegexSafety, type RegexSafetyVerdict } from './regex-safety.js';
export { maskFindings, restorePlaceholders, placeholderLabel, type MaskingVault, type MaskResult } from './masking.js';
export { normaliseForScan, type NormalisedText } from './normaliser.js';
export { piiEntityTypes, type PiiEntityType } from './pii-detectors.js';

export interface DefaultScannerOptions {
  pii?: PiiScannerOptions;
  secrets?: SecretsScannerOptions;
}

/** The default cheap input scanners: PII, secrets and invisible text (all synchronous). */
export function createDefaultInputScanners(options: DefaultScannerOptions = {}): Scanner[] {
  return [createPiiScanner(options.pii), createSecretsScanner(options.secrets), createInvisibleTextScanner()];
}
