import type { ModelListEncoder, PublicModel } from '../dialect.js';

function encodeModel(model: PublicModel): Record<string, unknown> {
  // `created` is required by the spec; 0 stands for "unknown" (the epoch), as other gateways do.
  return { id: model.id, object: 'model', created: model.createdAt ?? 0, owned_by: model.ownedBy };
}

/** OpenAI `GET /v1/models` (`{object:'list', data}`) and `GET /v1/models/{id}`. */
export const openaiModelListEncoder: ModelListEncoder = {
  encodeList: (models) => ({ object: 'list', data: models.map(encodeModel) }),
  encodeModel,
};
