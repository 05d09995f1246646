import { fileURLToPath } from 'node:url';

/** The repository root: handler entries in the function manifest are relative to it. */
export const PROJECT_ROOT = fileURLToPath(new URL('..', import.meta.url));
