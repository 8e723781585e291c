import { z } from 'zod';
import { GatewayError, type ModelInfo } from '../../spec/index.js';

const modelListSchema = z.looseObject({
  data: z.array(z.looseObject({ id: z.string(), created: z.number().nullish(), owned_by: z.string().nullish() })),
});

/** Converts a `GET /models` list (`{object:"list", data:[{id, created, owned_by}]}`). */
export function convertOpenAIModelList(providerName: string, json: Record<string, unknown>): ModelInfo[] {
  const parsed = modelListSchema.safeParse(json);
  if (!parsed.success) throw new GatewayError('upstream_bad_response', `${providerName} returned a model list that does not match its API`);
  return parsed.data.data.map((model) => {
    const info: ModelInfo = { id: model.id };
    if (model.owned_by) info.ownedBy = model.owned_by;
    if (typeof model.created === 'number' && model.created > 0) info.createdAt = model.created;
    return info;
  });
}
