import type { RequestContext } from './request-context.js';

/**
 * A pipeline stage. Stages nest like middleware: each sees the way in (before `next`) and the way out
 * (after), and may end the request early by not calling `next`.
 */
export type Stage<Outcome> = (context: RequestContext, next: () => Promise<Outcome>) => Promise<Outcome>;

/** Composes stages in order around the terminal handler. Built once at start, not per request. */
export function composeStages<Outcome>(
  stages: ReadonlyArray<Stage<Outcome>>,
  terminal: (context: RequestContext) => Promise<Outcome>,
): (context: RequestContext) => Promise<Outcome> {
  return stages.reduceRight<(context: RequestContext) => Promise<Outcome>>(
    (next, stage) => (context) => stage(context, () => next(context)),
    terminal,
  );
}
