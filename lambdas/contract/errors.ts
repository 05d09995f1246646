import * as z from 'zod';

/**
 * The one error shape of the HTTP contract (docs/venues.md, OpenAPI). Every 4xx and 5xx body of every JSON route
 * has it; `details` is present only when the caller can act on it (e.g. the valid marketplaces).
 */
export const ErrorBodySchema = z
  .object({
    error: z.object({
      code: z
        .string()
        .regex(/^[A-Z][A-Z0-9_]*$/)
        .meta({ description: 'Stable UPPER_SNAKE code the frontend switches on.', example: 'TOKEN_EXPIRED' }),
      message: z.string().meta({ description: 'A plain sentence saying what happened and what to do next; safe to show.' }),
      details: z.unknown().optional().meta({ description: 'Machine-readable context, e.g. `validMarketplaces` or `marketplace`.' }),
    }),
  })
  .meta({ id: 'Error' });

export type ErrorBodyContract = z.infer<typeof ErrorBodySchema>;

/** Name of the JWT bearer security scheme in the OpenAPI document. */
export const BEARER_AUTH = 'bearerAuth';

const errorContent = { 'application/json': { schema: ErrorBodySchema } };

/**
 * OpenAPI response entries for error statuses, with what each one means on this route. Shared by
 * every route registration (venues and authorizations) so the error shape is documented once.
 */
export function errorResponses(statuses: Readonly<Record<number, string>>): Record<number, { description: string; content: typeof errorContent }> {
  const out: Record<number, { description: string; content: typeof errorContent }> = {};
  for (const [status, description] of Object.entries(statuses)) out[Number(status)] = { description, content: errorContent };
  return out;
}

/** Error responses every JWT route can give. */
export const JWT_ROUTE_ERRORS: Readonly<Record<number, string>> = {
  401: '`UNAUTHORIZED`: no valid JWT, or it carries no AoB account claim.',
  500: '`INTERNAL_ERROR`: a fault on our side; the body never says more.',
};
