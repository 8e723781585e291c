/** Prompt-injection and jailbreak detection: the scanner, the committed model, and the parts behind them. */
export { createInjectionScanner, type InjectionScannerOptions } from './injection-scanner.js';
export { loadShippedInjectionModel } from './shipped-model.js';
export { detectInjection, calibrate, calibratedDecisionPoint, type InjectionScores } from './injection-detector.js';
export { injectionRules, type InjectionRule, type InjectionRuleCategory } from './injection-rules.js';
export { thresholdsFor, type LinearModel, type ModelThresholds } from './linear-model.js';
export { parseModel, serialiseModel } from './model-file.js';
