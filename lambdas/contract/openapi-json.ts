import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import * as z from 'zod/mini';

/**
 * Puts a zod/mini request schema (lambdas/contract/requests.ts) into the OpenAPI document as a
 * component, converted by zod's own JSON Schema conversion (OpenAPI 3.1 schemas are JSON Schema
 * 2020-12), and returns its reference. zod-to-openapi reads zod classic only; the handlers'
 * schemas are mini. Build time only: no handler imports this module.
 */
export function requestSchema(registry: OpenAPIRegistry, name: string, schema: z.ZodMiniType): { $ref: string } {
  const { $schema: _dialect, ...json } = z.toJSONSchema(schema, { io: 'input' }) as Record<string, unknown>;
  registry.registerComponent('schemas', name, json);
  return { $ref: `#/components/schemas/${name}` };
}
