/**
 * Finds the guardrail policy of a request from the configuration's three levels: the top-level
 * `guardrails:` (the organisation's default), `workspaces.<name>.guardrails`, and `guardrails.keys.<key id
 * or prefix>`. Policies are resolved once per combination of levels and kept: the configuration does not
 * change while the gateway runs.
 */
import { GuardrailScannerFactory, resolveGuardrailPolicy, type GuardrailPolicy } from './guardrail-policy.js';
import type { GuardrailLevelConfig, GuardrailsConfig } from './guardrails-config.js';

/** The parts of the configuration that hold guardrails. */
export interface GuardrailSources {
  guardrails?: GuardrailsConfig;
  workspaces?: Readonly<Record<string, { guardrails?: GuardrailLevelConfig }>>;
}

/** Who is calling, as far as guardrails care. */
export interface GuardrailSubject {
  workspaceName?: string;
  keyId?: string;
  keyPrefix?: string;
}

export class GuardrailPolicyResolver {
  private readonly factory = new GuardrailScannerFactory();
  private readonly policies = new Map<string, GuardrailPolicy | undefined>();

  constructor(private readonly sources: GuardrailSources) {}

  /** Whether any level configures a scanner at all (when not, the gateway composes no guardrail stage). */
  static isConfigured(sources: GuardrailSources): boolean {
    const levels = [sources.guardrails, ...Object.values(sources.guardrails?.keys ?? {}), ...Object.values(sources.workspaces ?? {}).map((workspace) => workspace.guardrails)];
    return levels.some((level) => level !== undefined && level.scanners.some((entry) => entry.enabled));
  }

  /** Whether a workspace level exists (only then is a workspace's name worth looking up). */
  get hasWorkspaceLevels(): boolean {
    return Object.values(this.sources.workspaces ?? {}).some((workspace) => workspace.guardrails !== undefined);
  }

  /** Builds every configured scanner now (loads the injection model), so the first request pays nothing. */
  warm(): void {
    this.policyFor({});
    for (const name of Object.keys(this.sources.workspaces ?? {})) this.policyFor({ workspaceName: name });
    for (const key of Object.keys(this.sources.guardrails?.keys ?? {})) this.policyFor({ keyId: key });
  }

  /** The policy of a subject; `undefined` when no scanner applies. */
  policyFor(subject: GuardrailSubject): GuardrailPolicy | undefined {
    const keys = this.sources.guardrails?.keys ?? {};
    const keyName = subject.keyId !== undefined && Object.hasOwn(keys, subject.keyId) ? subject.keyId : subject.keyPrefix !== undefined && Object.hasOwn(keys, subject.keyPrefix) ? subject.keyPrefix : undefined;
    const workspaces = this.sources.workspaces ?? {};
    const workspaceName = subject.workspaceName !== undefined && Object.hasOwn(workspaces, subject.workspaceName) ? subject.workspaceName : undefined;
    const memo = `${workspaceName ?? ''}\u0000${keyName ?? ''}`;
    if (this.policies.has(memo)) return this.policies.get(memo);
    const policy = resolveGuardrailPolicy(
      [this.sources.guardrails, workspaceName === undefined ? undefined : workspaces[workspaceName].guardrails, keyName === undefined ? undefined : keys[keyName]],
      this.factory,
    );
    this.policies.set(memo, policy);
    return policy;
  }
}
