// Which capabilities this backend has, read from its OpenAPI document: a page whose API is not
// there yet (tariffs before billing, say) says so instead of showing made-up data, and starts
// working once the backend that serves it is deployed, without a change here.

import { createContext } from 'preact';
import { useContext } from 'preact/hooks';

interface OpenApiDocument {
  paths?: Record<string, Record<string, { responses?: Record<string, { content?: Record<string, { schema?: SchemaNode }> }> }>>;
}
interface SchemaNode {
  properties?: Record<string, unknown>;
  allOf?: SchemaNode[];
  items?: SchemaNode;
}

export interface ApiFeatures {
  /** The backend serves `method` `path` (an OpenAPI path such as /api/v1/tariffs/{id}). */
  has(path: string, method?: string): boolean;
  /** The JSON answer of GET `path` has the top-level field `field` (for an array, in its items). */
  answers(path: string, field: string): boolean;
}

function hasProperty(schema: SchemaNode | undefined, field: string): boolean {
  if (!schema) return false;
  if (schema.properties && field in schema.properties) return true;
  if (schema.items) return hasProperty(schema.items, field);
  return (schema.allOf ?? []).some((part) => hasProperty(part, field));
}

export function featuresOf(document: OpenApiDocument): ApiFeatures {
  const paths = document.paths ?? {};
  return {
    has: (path, method = 'get') => Boolean(paths[path]?.[method]),
    answers: (path, field) => hasProperty(paths[path]?.['get']?.responses?.['200']?.content?.['application/json']?.schema, field),
  };
}

export async function loadFeatures(): Promise<ApiFeatures> {
  const response = await fetch('/api/openapi.json', { headers: { accept: 'application/json' } });
  if (!response.ok) throw new Error(`The API description did not load (${response.status})`);
  return featuresOf((await response.json()) as OpenApiDocument);
}

export const FeaturesContext = createContext<ApiFeatures>(featuresOf({}));
export const useFeatures = () => useContext(FeaturesContext);
