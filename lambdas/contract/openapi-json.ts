import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import { toJsonSchema } from '@valibot/to-json-schema';
import type * as v from 'valibot';

/**
 * Puts a request schema (lambdas/contract/requests.ts, valibot) into the OpenAPI document as a
 * component and returns its reference. OpenAPI 3.1 schemas are JSON Schema 2020-12; the document
 * describes what a caller sends, so the conversion reads the input side of each pipe and stops at
 * a transformation (the marketplace code's upper-casing). Build time only: no handler imports
 * this module.
 */
export function requestSchema(registry: OpenAPIRegistry, name: string, schema: v.GenericSchema): { $ref: string } {
  const { $schema: _dialect, ...json } = toJsonSchema(schema, { target: 'draft-2020-12', typeMode: 'input', ignoreActions: ['to_upper_case'] }) as Record<string, unknown>;
  // An object whose fields are all optional gets `required: []`; the document leaves it out.
  if (Array.isArray(json.required) && json.required.length === 0) delete json.required;
  registry.registerComponent('schemas', name, json);
  return { $ref: `#/components/schemas/${name}` };
}
