import * as v from 'valibot';
import { OpenAPIRegistry, OpenApiGeneratorV31 } from '@asteasolutions/zod-to-openapi';
import { LoginContinuationRequest, StartAuthorizationRequest, registerAuthorizationPaths } from '../../../../lambdas/contract/authorizations.js';
import { FUNCTIONS } from '../../../../lambdas/functions.js';

describe('authorization contract', () => {
  it('describes the six auth routes in the OpenAPI document', () => {
    // Prepare
    const registry = new OpenAPIRegistry();
    // Act
    registerAuthorizationPaths(registry);
    const doc = new OpenApiGeneratorV31(registry.definitions).generateDocument({ openapi: '3.1.0', info: { title: 't', version: '1' } });
    // Assess
    expect(Object.keys(doc.paths ?? {}).sort()).toEqual([
      '/v1/amazon/authorization-completions',
      '/v1/amazon/authorize/{ticket}',
      '/v1/amazon/callback',
      '/v1/amazon/login',
      '/v1/amazon/login-continuations',
      '/v1/amazon/venues/{marketplace}/authorizations',
    ]);
    expect(doc.paths?.['/v1/amazon/callback']?.get?.responses?.['303']?.description).toContain('reason=CODE');
    expect(doc.components?.schemas).toHaveProperty('LoginContinuationRequest');
  });

  it('body schemas are strict about shape and charset', () => {
    expect(v.safeParse(StartAuthorizationRequest, {}).success).toBe(true);
    expect(v.safeParse(StartAuthorizationRequest, { returnPath: 'https://evil' }).success).toBe(false);
    expect(v.safeParse(StartAuthorizationRequest, { returnPath: '/settings/venues', extra: 1 }).success).toBe(false);
    const ok = { amazonCallbackUri: 'https://sellercentral.amazon.com/x', amazonState: 'abc', sellingPartnerId: 'A3SELLER', marketplace: 'us' };
    expect(v.parse(LoginContinuationRequest, ok).marketplace).toBe('US');
    expect(v.safeParse(LoginContinuationRequest, { ...ok, sellingPartnerId: 'a3<x>' }).success).toBe(false);
    expect(v.safeParse(LoginContinuationRequest, { ...ok, marketplace: 'XX' }).success).toBe(false);
  });

  it('every auth handler module of the manifest runs from the environment alone and exports handler', async () => {
    const ids = ['StartAuthorization', 'ContinueLogin', 'AuthorizeTicket', 'Login', 'Callback'];
    for (const spec of FUNCTIONS.filter((f) => ids.includes(f.id))) {
      const mod = (await import(`../../../../${spec.entry.replace(/\.ts$/, '.js')}`)) as { handler?: unknown };
      expect(typeof mod.handler).toBe('function');
    }
  });
});
