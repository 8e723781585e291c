import type { ModelListEncoder, PublicModel } from '../dialect.js';

function toRfc3339(unixSeconds: number | undefined): string {
  return new Date((unixSeconds ?? 0) * 1000).toISOString().replace('.000Z', 'Z');
}

function encodeModel(model: PublicModel): Record<string, unknown> {
  return { type: 'model', id: model.id, display_name: model.displayName ?? model.id, created_at: toRfc3339(model.createdAt) };
}

/** Anthropic `GET /v1/models` (one page holding every model) and `GET /v1/models/{id}`. */
export const anthropicModelListEncoder: ModelListEncoder = {
  encodeList: (models) => ({
    data: models.map(encodeModel),
    has_more: false,
    first_id: models[0]?.id ?? null,
    last_id: models.at(-1)?.id ?? null,
  }),
  encodeModel,
};
