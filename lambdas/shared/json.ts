/**
 * A parsed JSON value that is an object: not null, not a list. Every JSON body the service reads
 * (request bodies, the app secret, the local AWS stand-ins' requests) must be one, and valibot's
 * object schemas would take a list as an object with no fields.
 */
export const isJsonObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
