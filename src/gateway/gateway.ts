import { toGatewayError, type CallOptions, type Clock, type EmbedResult, type Logger, type UpstreamClient } from '../spec/index.js';
import type { DecodedChatRequest, DecodedEmbedRequest, PublicModel } from '../dialects/dialect.js';
import type { Authenticator, Principal } from '../governance/authenticator.js';
import { estimateChatInputTokens } from '../observatory/index.js';
import { roughTokenCount } from './governance/rough-token-count.js';
import type { RequestGovernor } from './governance/request-governor.js';
import { createGovernStage } from './stages/govern-stage.js';
import { createGuardStage, createRestoreStage, type GuardStageDependencies } from './stages/guard-stage.js';
import type { ChatOutcome } from './chat-outcome.js';
import type { FastPathRequest } from './passthrough-call.js';
import { createChatRouteHandler } from './chat-route-handler.js';
import { createEmbedRouteHandler } from './embed-route-handler.js';
import { recordRequest, type AccountDependencies } from './ledger-recorder.js';
import type { ModelResolver } from './model-resolver.js';
import { composeStages } from './pipeline.js';
import type { ProviderInstance } from './provider-set.js';
import type { RequestContext } from './request-context.js';
import type { Router } from './routing/index.js';
import { createChatAccountStage } from './stages/account-stage.js';
import { createAuthenticateStage } from './stages/authenticate-stage.js';
import { ModelListing } from './model-listing.js';

/** Everything the gateway is built from (see main.ts). */
export interface GatewayDependencies extends AccountDependencies {
  authenticator: Authenticator;
  router: Router;
  resolver: ModelResolver;
  providers: ReadonlyMap<string, ProviderInstance>;
  http: UpstreamClient;
  logger: Logger;
  clock: Clock;
  firstTokenMs: number;
  /** Governance (hierarchy, policies, limits, budgets); absent means every authenticated key may call anything. */
  governor?: RequestGovernor;
  /** Guardrails (docs/guardrails.md); absent when no level configures a scanner, so no stage is composed. */
  guardrails?: GuardStageDependencies;
}

/**
 * The request pipeline for each operation, composed once:
 * [restore] -> account -> authenticate -> govern -> [guardrails] -> route (strategy, retries, fallbacks,
 * breakers) -> provider call; the bracketed stages exist only when guardrails are configured.
 * The HTTP layer decodes with a dialect, calls in here, and encodes what comes back.
 */
export class Gateway {
  private readonly runChat: (context: RequestContext) => Promise<ChatOutcome>;
  private readonly routeEmbed: ReturnType<typeof createEmbedRouteHandler>;
  readonly models: ModelListing;

  constructor(private readonly dependencies: GatewayDependencies) {
    const routeChat = createChatRouteHandler(dependencies);
    this.runChat = composeStages<ChatOutcome>(
      [
        // Restoring masked values sits outside accounting, so the ledger and stored payloads keep them masked.
        ...(dependencies.guardrails === undefined ? [] : [createRestoreStage()]),
        createChatAccountStage(dependencies),
        createAuthenticateStage(dependencies.authenticator, dependencies.clock),
        ...(dependencies.governor === undefined ? [] : [createGovernStage(dependencies.governor, dependencies.clock)]),
        ...(dependencies.guardrails === undefined ? [] : [createGuardStage(dependencies.guardrails)]),
      ],
      (context) => routeChat(context, context.chat!, context.fastPath),
    );
    this.routeEmbed = createEmbedRouteHandler(dependencies);
    this.models = new ModelListing(dependencies);
  }

  /**
   * Authenticates, then decodes the body with the dialect. A failure of either is recorded in the ledger
   * (a bad key gets its 401 before the body is judged, as the providers do) and rethrown.
   */
  async decode<Decoded>(context: RequestContext, decode: () => Decoded): Promise<Decoded> {
    try {
      const principal = this.dependencies.authenticator.authenticate(context.presentedKey);
      context.principal = principal instanceof Promise ? await principal : principal;
      context.authenticatedMonotonic = this.dependencies.clock.monotonic();
      return decode();
    } catch (error) {
      context.error = toGatewayError(error);
      recordRequest(this.dependencies, context);
      throw context.error;
    }
  }

  /**
   * A chat call: a complete result, or a stream that has started. Rejects with a GatewayError. With
   * `fastPath`, a provider that speaks the client's dialect gets the client's body as it is.
   */
  chat(context: RequestContext, decoded: DecodedChatRequest, fastPath?: FastPathRequest): Promise<ChatOutcome> {
    context.chat = decoded;
    context.fastPath = fastPath;
    return this.runChat(context);
  }

  /** An embeddings call. */
  async embed(context: RequestContext, decoded: DecodedEmbedRequest): Promise<EmbedResult> {
    try {
      context.principal ??= await this.dependencies.authenticator.authenticate(context.presentedKey);
      if (this.dependencies.governor !== undefined && context.principal.kind !== 'master') {
        await this.dependencies.governor.admit(context, {
          operation: 'embeddings',
          route: context.route ?? '',
          metadata: undefined,
          estimateInputTokens: () => roughTokenCount(decoded.request.input),
          applyDefaults: () => undefined,
        });
      }
      const result = await this.routeEmbed(context, decoded);
      context.usage = result.usage;
      context.embedInput = decoded.request.input;
      recordRequest(this.dependencies, context);
      return result;
    } catch (error) {
      context.error = toGatewayError(error);
      recordRequest(this.dependencies, context);
      throw context.error;
    }
  }

  /** Counts a prompt's input tokens: with the provider's own counter where it has one, else estimated. */
  async countTokens(context: RequestContext, decoded: DecodedChatRequest): Promise<number> {
    try {
      context.principal ??= await this.dependencies.authenticator.authenticate(context.presentedKey);
      const group = this.dependencies.resolver.resolve(context.requestedModel);
      const deployment = this.dependencies.resolver.firstDeployment(group);
      const adapter = deployment === undefined ? undefined : this.dependencies.providers.get(deployment.provider)?.adapter;
      let count: number;
      if (deployment !== undefined && adapter?.countTokens !== undefined) {
        const call: CallOptions = { signal: context.signal, http: this.dependencies.http, clock: this.dependencies.clock, logger: this.dependencies.logger };
        count = await adapter.countTokens({ ...decoded.request, model: deployment.model }, call);
        context.served = { provider: deployment.provider, model: deployment.model, deploymentId: deployment.id };
      } else {
        count = estimateChatInputTokens(decoded.request);
      }
      recordRequest(this.dependencies, context);
      return count;
    } catch (error) {
      context.error = toGatewayError(error);
      recordRequest(this.dependencies, context);
      throw context.error;
    }
  }

  /**
   * Records a request that failed before reaching a handler (unparseable JSON, body over the limit), so the
   * ledger still has one row per request. The key is attributed when it is valid.
   */
  async recordRejected(context: RequestContext, error: unknown): Promise<void> {
    context.error = toGatewayError(error);
    try {
      context.principal = await this.dependencies.authenticator.authenticate(context.presentedKey);
    } catch {
      // An unauthenticated request is still recorded, without a key.
    }
    recordRequest(this.dependencies, context);
  }

  /** Checks a key for the read-only endpoints (model listing) and returns who it is. */
  async authenticate(presentedKey: string | undefined): Promise<Principal> {
    return this.dependencies.authenticator.authenticate(presentedKey);
  }

  /** The public models (configured groups and each provider's own list). */
  listModels(): Promise<PublicModel[]> {
    return this.models.list();
  }
}
