// Names to try, most specific first, when a model id is not in the catalog verbatim. Dated snapshots
// (`claude-sonnet-4-5-20250929`, `gpt-4o-2024-08-06`, `claude-3-5-sonnet@20240620`) are priced like
// their undated alias; Gemini ids may carry the REST `models/` prefix; Ollama ids carry a `:tag`.
const datedSuffixes = [/-\d{8}$/, /-\d{4}-\d{2}-\d{2}$/, /@\d{8}$/, /@\d{4}-\d{2}-\d{2}$/];

/** The names under which a model id may be listed, in the order to try them. */
export function modelNameCandidates(model: string): string[] {
  const candidates: string[] = [];
  const add = (name: string) => {
    if (name.length > 0 && !candidates.includes(name)) candidates.push(name);
  };
  const base = model.startsWith('models/') ? model.slice('models/'.length) : model;
  add(model);
  add(base);
  for (const suffix of datedSuffixes) {
    if (suffix.test(base)) add(base.replace(suffix, ''));
  }
  const tagAt = base.lastIndexOf(':');
  if (tagAt > 0 && !base.slice(tagAt).includes('/')) {
    // `llama3:latest` is `llama3`; `llama3.1:8b` is first tried with its size, as some keys keep it.
    add(base.replace(/:latest$/, ''));
    add(base.slice(0, tagAt));
  }
  return candidates;
}
