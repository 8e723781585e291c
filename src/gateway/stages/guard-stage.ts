import type { Clock } from '../../spec/index.js';
import type { AuditEntry } from '../../governance/audit/audit-log.js';
import {
  blockError,
  guardInput,
  guardResult,
  guardStream,
  GuardrailDecisions,
  guardrailsHeader,
  maskJsonValues,
  restoreResult,
  restoreStream,
  type GuardrailBlock,
  type GuardrailPolicyResolver,
} from '../../sentinel/guardrails/index.js';
import type { ChatOutcome } from '../chat-outcome.js';
import type { Stage } from '../pipeline.js';
import type { RequestContext } from '../request-context.js';

/** What the guardrail stages need (composed only when some level configures a scanner). */
export interface GuardStageDependencies {
  resolver: GuardrailPolicyResolver;
  /** A workspace's name by id (the configuration names workspaces); asked only when a workspace level exists. */
  workspaceNameOf(workspaceId: string): Promise<string | undefined>;
  clock: Clock;
  /** Appends a block decision to the audit log (off the response path). */
  auditBlock(entry: AuditEntry): void;
}

/**
 * The guardrails between governance and routing (see docs/guardrails.md): scans the request by channel and
 * blocks, masks or flags; scans the answer (complete or streamed) on the way back. Decisions go into
 * `x-switchyard-guardrails`, the ledger row (`context.guardrails`) and, for blocks, the audit log. Masking
 * and output scanning need the canonical request and answer, so they leave the fast path.
 */
export function createGuardStage(dependencies: GuardStageDependencies): Stage<ChatOutcome> {
  const { resolver, clock } = dependencies;
  return async (context, next) => {
    const principal = context.principal;
    const workspaceId = principal === undefined || principal.kind === 'master' ? undefined : principal.workspaceId;
    const workspaceName = workspaceId !== undefined && resolver.hasWorkspaceLevels ? await dependencies.workspaceNameOf(workspaceId) : undefined;
    const policy = resolver.policyFor({
      workspaceName,
      keyId: principal?.kind === 'key' || principal?.kind === 'agent-token' ? principal.keyId : undefined,
      keyPrefix: principal?.kind === 'key' ? principal.prefix : undefined,
    });
    if (policy === undefined) return next();
    const decisions = new GuardrailDecisions();
    const state: NonNullable<RequestContext['guardrails']> = { decisions };
    context.guardrails = state;
    const blocked = (block: GuardrailBlock) => {
      dependencies.auditBlock(auditEntryOf(context, block));
      return blockError(block, headerOf(decisions));
    };

    if (policy.input.length > 0) {
      const result = guardInput(context.chat!.request, policy, clock, decisions);
      if (result.block !== undefined) throw blocked(result.block);
      if (result.replacements.length > 0) {
        state.vault = result.vault;
        // The provider must get the masked request, and stored payloads the masked body.
        context.fastPath = undefined;
        context.body = maskJsonValues(context.body, result.replacements);
      }
    }
    if (policy.output.length > 0) context.fastPath = undefined;
    setHeader(context, decisions);

    const outcome = await next();
    if (policy.output.length === 0) return outcome;
    if (outcome.kind === 'result') {
      const block = guardResult(outcome.result, policy, clock, decisions);
      setHeader(context, decisions);
      if (block !== undefined) {
        // The provider was paid for the answer the client does not get: the ledger keeps its usage.
        context.usage = outcome.result.usage;
        throw blocked(block);
      }
      return outcome;
    }
    if (outcome.kind === 'stream') return { kind: 'stream', events: guardStream(outcome.events, policy, clock, decisions, blocked) };
    return outcome;
  };
}

/**
 * The outermost stage when some input scanner masks: puts masked values back into the answer the client
 * gets. It sits outside accounting, so the ledger, payload capture and traces keep the masked answer.
 */
export function createRestoreStage(): Stage<ChatOutcome> {
  return async (context, next) => {
    const outcome = await next();
    const vault = context.guardrails?.vault;
    if (vault === undefined || Object.keys(vault).length === 0) return outcome;
    if (outcome.kind === 'result') return { kind: 'result', result: restoreResult(outcome.result, vault) };
    if (outcome.kind === 'stream') return { kind: 'stream', events: restoreStream(outcome.events, vault) };
    return outcome;
  };
}

function headerOf(decisions: GuardrailDecisions): Record<string, string> {
  const summary = decisions.summary();
  return summary === undefined ? {} : { [guardrailsHeader]: summary };
}

function setHeader(context: RequestContext, decisions: GuardrailDecisions): void {
  const header = headerOf(decisions);
  if (Object.keys(header).length === 0) return;
  context.responseHeaders = { ...context.responseHeaders, ...header };
}

function auditEntryOf(context: RequestContext, block: GuardrailBlock): AuditEntry {
  const principal = context.principal;
  const actor: AuditEntry['actor'] =
    principal === undefined || principal.kind === 'master'
      ? { kind: 'master', id: 'master' }
      : principal.kind === 'key'
        ? { kind: 'key', id: principal.keyId }
        : { kind: 'agent-token', id: principal.tokenId };
  return {
    actor,
    action: 'guardrail.block',
    target: { kind: 'guardrail', id: block.scanner },
    organisationId: principal === undefined || principal.kind === 'master' ? undefined : principal.organisationId,
    workspaceId: principal === undefined || principal.kind === 'master' ? undefined : principal.workspaceId,
    outcome: 'denied',
    details: { side: block.side, channel: block.channel, types: block.types, score: Number(block.score.toFixed(3)), model: context.requestedModel, operation: context.operation },
    requestId: context.requestId,
  };
}
