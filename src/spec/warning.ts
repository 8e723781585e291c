/**
 * Something the gateway could not honour exactly: an unsupported setting, a field passed on unchecked.
 * Warnings travel with the result; dialects surface them (e.g. the `x-switchyard-warnings` header).
 */
export interface CallWarning {
  type: 'unsupported-setting' | 'passed-through' | 'other';
  /** The setting concerned, as the client named it (e.g. `seed`). */
  setting?: string;
  message: string;
}
