import type { CaptureMode } from './payload-store.js';

/** The `workspaces.<name or id>.payloads.mode` entries of the config file, as a policy's `workspaceModes`. */
export function workspacePayloadModes(workspaces: Readonly<Record<string, { payloads?: { mode: CaptureMode } }>>): Record<string, CaptureMode> {
  const modes: Record<string, CaptureMode> = {};
  for (const [name, workspace] of Object.entries(workspaces)) {
    if (workspace.payloads !== undefined) modes[name] = workspace.payloads.mode;
  }
  return modes;
}
