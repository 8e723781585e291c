/**
 * Model patterns, as written in `allowed_models` and in policies: `*` stands for any run of characters
 * (also none, also `/`), `?` for exactly one; everything else matches itself, case-sensitively (model ids
 * such as `Qwen/Qwen2.5-7B` are case-sensitive at some providers). `gpt-4o*` matches `gpt-4o` and
 * `gpt-4o-mini`; `openai/*` matches every model served by the provider instance `openai`.
 */

// Patterns come from a handful of policies and settings, evaluated on every request: compile each once.
// The bound keeps a misbehaving caller (patterns built from request data) from growing it without end.
const compiled = new Map<string, RegExp>();
const maximumCompiled = 10_000;

function compile(pattern: string): RegExp {
  let expression = compiled.get(pattern);
  if (expression === undefined) {
    const source = pattern
      .split('')
      .map((character) => (character === '*' ? '.*' : character === '?' ? '.' : character.replace(/[\\^$.|+()[\]{}]/g, '\\$&')))
      .join('');
    expression = new RegExp(`^${source}$`, 's');
    if (compiled.size >= maximumCompiled) compiled.clear();
    compiled.set(pattern, expression);
  }
  return expression;
}

/**
 * The names a model goes by for pattern matching: the name as asked, and with the provider known, the
 * other spelling too (`gpt-4o` served by `openai` is also `openai/gpt-4o`; `openai/gpt-4o` is also `gpt-4o`).
 */
export function modelNames(model: string, provider?: string): string[] {
  if (provider === undefined || provider === '') return [model];
  const prefix = `${provider}/`;
  return model.startsWith(prefix) ? [model, model.slice(prefix.length)] : [model, `${prefix}${model}`];
}

/** True when `name` matches the pattern (see the module comment for the syntax). */
export function matchesPattern(pattern: string, name: string): boolean {
  return compile(pattern).test(name);
}

/** True when any of the model's names (see {@link modelNames}) matches any of the patterns. */
export function modelMatchesAny(patterns: ReadonlyArray<string>, model: string, provider?: string): boolean {
  const names = modelNames(model, provider);
  return patterns.some((pattern) => names.some((name) => matchesPattern(pattern, name)));
}
