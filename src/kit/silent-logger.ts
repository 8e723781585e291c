import type { Logger } from '../spec/index.js';

/** A logger that drops everything (tests, and library use without logging). */
export const silentLogger: Logger = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
  child: () => silentLogger,
};
