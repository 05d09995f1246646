import * as z from 'zod';
import type { Activation } from '../domain/activation.js';
import { MARKETPLACES, type MarketplaceCode } from '../domain/marketplaces.js';
import type { TokenView } from '../domain/token-status.js';
import type { Venue } from '../domain/venue.js';

/**
 * The venue part of the HTTP contract (docs/venues.md, OpenAPI) as zod schemas: handlers validate input with them,
 * tests check outputs against them and the OpenAPI document is generated from them. Only zod is
 * imported here, so the read handlers' bundles stay small.
 */

const codes = MARKETPLACES.map((m) => m.code) as [MarketplaceCode, ...MarketplaceCode[]];

export const MarketplaceCodeSchema = z.enum(codes).meta({
  id: 'MarketplaceCode',
  description: 'An Amazon marketplace. Path parameters accept it in any letter case.',
  example: 'UK',
});

export const MarketplacePathSchema = z.object({ marketplace: MarketplaceCodeSchema });

const isoInstant = z.iso.datetime().nullable();

export const TokenViewSchema = z
  .object({
    status: z.enum(['none', 'current', 'expiring', 'expired', 'revoked']).meta({
      description: 'none: no authorization; current: > 30 days left; expiring: ≤ 30 days left; expired; revoked on Amazon.',
    }),
    message: z.string().meta({ description: 'What to show next to the venue, e.g. "Expires in 12 days".', example: 'Current' }),
    generatedAt: isoInstant.meta({ description: 'When the authorization was granted.' }),
    expiresAt: isoInstant.meta({ description: 'generatedAt + 365 days: when Amazon requires re-authorization.' }),
    daysRemaining: z.int().min(0).nullable().meta({ description: 'Whole days left, rounded up; null without a live authorization.' }),
    hoursRemaining: z.int().min(0).nullable().meta({ description: 'Whole hours left, rounded up; null without a live authorization.' }),
    sellingPartnerId: z.string().nullable().meta({ description: 'Amazon seller (merchant) id of the authorization.' }),
    lastCheckedAt: isoInstant.meta({
      description: 'When Amazon last confirmed the authorization: the exchange, then every successful refresh (a caller’s or the daily health check’s). Null without an authorization, or for one from before the token service until its first refresh.',
    }),
  })
  .meta({ id: 'TokenView' });

export const ActivationSchema = z
  .object({
    allowed: z.boolean().meta({ description: 'Whether the venue may be set Active now; grey the box out when false.' }),
    reason: z.enum(['NO_TOKEN', 'TOKEN_EXPIRED', 'TOKEN_REVOKED', 'NOT_REGISTERED']).nullable(),
    message: z.string().nullable().meta({ example: 'Your Amazon seller account is not registered to sell on amazon.de.' }),
  })
  .meta({ id: 'Activation' });

export const VenueSchema = z
  .object({
    marketplace: MarketplaceCodeSchema,
    marketplaceId: z.string().meta({ example: 'A1F83G8C2ARO7P' }),
    domain: z.string().meta({ example: 'amazon.co.uk' }),
    region: z.enum(['NA', 'EU', 'FE']),
    active: z.boolean().meta({
      description:
        'Whether AoB uses this venue now: the seller chose Active and the venue may be Active. False whenever activation.allowed is false (expired, revoked, no authorization, not registered), whatever the seller chose; tick the box only when true.',
    }),
    activeChoice: z.boolean().meta({
      description:
        'The seller\'s own choice, kept while the venue cannot be Active and applied again as soon as it can (for example after a re-authorization). When activeChoice is true and active is false, activation.message says why the choice is on hold.',
    }),
    participating: z.boolean().nullable().meta({
      description:
        'Whether the Amazon seller account of the authorization is registered to sell on this marketplace (Sellers API, at the last authorization); null without an authorization. A venue with participating=false is still covered by the authorization but cannot be used.',
    }),
    token: TokenViewSchema,
    activation: ActivationSchema,
  })
  .meta({ id: 'Venue' });

export const VenueListSchema = z.object({ venues: z.array(VenueSchema) }).meta({ id: 'VenueList' });

/** `PUT /v1/amazon/venues/{marketplace}`'s body: in ./requests.ts (valibot, what the handler parses with). */
export { SetVenueActiveBodySchema } from './requests.js';

// The domain's view types and the contract must not drift apart: these fail to compile if they do.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const contractMatchesDomain: [
  Same<z.infer<typeof TokenViewSchema>, { -readonly [K in keyof TokenView]: TokenView[K] }>,
  Same<z.infer<typeof ActivationSchema>, { -readonly [K in keyof Activation]: Activation[K] }>,
  Same<Omit<z.infer<typeof VenueSchema>, 'token' | 'activation'>, { -readonly [K in Exclude<keyof Venue, 'token' | 'activation'>]: Venue[K] }>,
] = [true, true, true];
void contractMatchesDomain;
