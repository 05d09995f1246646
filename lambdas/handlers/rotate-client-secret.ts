import { AmazonTransientError, AppCredentialsUnavailableError, LwaInvalidClientError, RotationRefusedError } from '../ports/failures.js';
import { clock } from '../shared/clock.js';
import { logger } from '../shared/logger.js';
import { requestRotation, type RotationDeps } from '../usecases/app-credentials.js';
import { RotationTooSoonError } from '../domain/errors.js';
import { appCredentialsStatusStore, applicationClient } from './wiring/app-credentials-lifecycle.js';

/** What on-call's `npm run ops -- rotate-client-secret` gets back: an outcome and a sentence, never a secret. */
export type RotateResult =
  | { readonly outcome: 'requested'; readonly requestedAt: string; readonly message: string }
  | { readonly outcome: 'too-soon' | 'refused' | 'amazon-unavailable' | 'credentials-invalid'; readonly message: string };

export function makeRotateClientSecretHandler(deps: RotationDeps & { readonly logger: Pick<typeof logger, 'info' | 'warn' | 'error'> }) {
  return async (): Promise<RotateResult> => {
    try {
      const { requestedAt } = await requestRotation(deps);
      deps.logger.info('client secret rotation requested', { requestedAt: requestedAt.toISOString() });
      return {
        outcome: 'requested',
        requestedAt: requestedAt.toISOString(),
        message: 'Amazon accepted the rotation (204). The new secret arrives on the notification queue, usually within minutes; the old one keeps working until its stated expiry.',
      };
    } catch (error) {
      const result = explain(error);
      deps.logger.warn('client secret rotation not requested', { outcome: result.outcome, error: (error as Error).name });
      return result;
    }
  };
}

function explain(error: unknown): RotateResult {
  if (error instanceof RotationTooSoonError) return { outcome: 'too-soon', message: `${error.message}: try again in a minute.` };
  if (error instanceof RotationRefusedError) {
    const why =
      error.httpStatus === 400
        ? 'the app is not enrolled for rotation notifications: register the notification queue in the Developer Console first (docs/deploy.md)'
        : error.httpStatus === 429
          ? 'Amazon throttled the call (about one a minute): try again in a minute'
          : 'check the app and its roles in the Developer Console';
    return { outcome: 'refused', message: `Amazon refused the rotation: ${error.message}; ${why}.` };
  }
  if (error instanceof LwaInvalidClientError || error instanceof AppCredentialsUnavailableError) {
    return { outcome: 'credentials-invalid', message: `The app credentials were refused or unreadable (${(error as Error).name}): check the app secret (npm run ops -- app-credentials).` };
  }
  if (error instanceof AmazonTransientError) return { outcome: 'amazon-unavailable', message: `Amazon did not answer usably (${error.what}): check Amazon's status and try again.` };
  throw error;
}

export const handler = makeRotateClientSecretHandler({
  status: appCredentialsStatusStore(),
  amazon: applicationClient(),
  clock,
  logger,
});
