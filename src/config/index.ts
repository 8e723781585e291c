export * from './config-error.js';
export * from './config-schema.js';
export * from './environment-overrides.js';
export * from './load-config.js';
export * from './secret-reference.js';
