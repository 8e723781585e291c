import { GatewayError, type ChatResult, type Clock } from '../../spec/index.js';
import type { AuditEntry } from '../../governance/audit/audit-log.js';
import {
  activeSchemaChecks,
  addCanaryToSystemPrompt,
  blockError,
  createCanaryToken,
  enforceSchemaChecks,
  guardInput,
  guardResult,
  guardStream,
  GuardrailDecisions,
  guardrailsHeader,
  judgeStreamAtEnd,
  maskJsonValues,
  restoreResult,
  restoreStream,
  withCanary,
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
 * blocks, masks or flags; adds the request's canary to its system prompt; scans the answer (complete or
 * streamed) on the way back, and judges it against its JSON schema, re-asking once through the rest of the
 * pipeline when allowed. Decisions go into `x-switchyard-guardrails`, the ledger row (`context.guardrails`)
 * and, for blocks, the audit log. Masking, canaries and output checks need the canonical request and
 * answer, so they leave the fast path.
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
    // This request's policy: with a canary, one more output scanner looking for this request's token.
    let requestPolicy = policy;
    if (policy.canaries.length > 0) {
      // A fresh token per request, in the system prompt the provider gets (never in the client's stored body).
      const token = createCanaryToken();
      addCanaryToSystemPrompt(context.chat!.request, token);
      requestPolicy = withCanary(policy, token);
    }
    const schemaChecks = policy.schemaChecks.length === 0 ? [] : activeSchemaChecks(policy.schemaChecks, context.chat!.request.responseFormat, decisions);
    if (requestPolicy.output.length > 0 || schemaChecks.length > 0) context.fastPath = undefined;
    setHeader(context, decisions);

    const outcome = await next();
    if (requestPolicy.output.length === 0 && schemaChecks.length === 0) return outcome;
    if (outcome.kind === 'result') {
      const refuse = (result: ChatResult, block: GuardrailBlock): never => {
        setHeader(context, decisions);
        // The provider was paid for the answer the client does not get: the ledger keeps its usage.
        context.usage = result.usage;
        throw blocked(block);
      };
      const block = guardResult(outcome.result, requestPolicy, clock, decisions);
      if (block !== undefined) refuse(outcome.result, block);
      if (schemaChecks.length === 0) {
        setHeader(context, decisions);
        return outcome;
      }
      const judged = await enforceSchemaChecks(outcome.result, {
        checks: schemaChecks,
        request: context.chat!.request,
        decisions,
        vault: state.vault,
        reask: async (reasked) => {
          // The same pipeline below this stage (routing, retries, the provider) with the longer conversation.
          context.chat = { ...context.chat!, request: reasked };
          const again = await next();
          if (again.kind !== 'result') throw new GatewayError('internal_error', 'A re-asked request did not return a complete answer');
          return again.result;
        },
        screen: (result) => guardResult(result, requestPolicy, clock, decisions),
        aborted: () => context.signal.aborted,
      });
      if (judged.block !== undefined) refuse(judged.result, judged.block);
      setHeader(context, decisions);
      return { kind: 'result', result: judged.result };
    }
    if (outcome.kind === 'stream') {
      let events = requestPolicy.output.length === 0 ? outcome.events : guardStream(outcome.events, requestPolicy, clock, decisions, blocked);
      if (schemaChecks.length > 0) events = judgeStreamAtEnd(events, schemaChecks, decisions, blocked, state.vault);
      return { kind: 'stream', events };
    }
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
