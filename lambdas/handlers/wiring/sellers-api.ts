import { SellersClient } from '../../adapters/amazon/sellers-client.js';
import { config } from '../../shared/config.js';

let sellers: SellersClient | undefined;
/** One participations read after a good exchange, at most 5 s (the completion's whole budget: ./lwa.ts). */
export const sellersClient = (): SellersClient => (sellers ??= new SellersClient({ endpointOverride: config().spApiEndpointOverride, timeoutMs: 5_000 }));
