import { failure, outcomeUrl, REASON_CODES, reasonForAmazonError, success } from '../../../../lambdas/domain/authorization-outcomes.js';
import { outcomeText, REASON_TEXT } from '../../../../lambdas/shared/page-text.js';
import { grantSecretName } from '../../../../lambdas/domain/grant-secret-name.js';

/** The outcomes of a flow: the frontend URL, the page texts, Amazon's error parameter (S9) and the grant secret's name. */

describe('outcomes', () => {
  it('builds the frontend URL contract', () => {
    expect(outcomeUrl('https://app.aob.test', '/settings/venues', success('UK'))).toBe('https://app.aob.test/settings/venues?amazon_authorization=success&marketplace=UK');
    expect(outcomeUrl('https://app.aob.test', '/settings/venues', success('UK', 'NOT_REGISTERED'))).toBe(
      'https://app.aob.test/settings/venues?amazon_authorization=success&marketplace=UK&notice=NOT_REGISTERED',
    );
    expect(outcomeUrl('https://app.aob.test', '/x', failure('WRONG_REGION', 'JP'))).toBe('https://app.aob.test/x?amazon_authorization=error&marketplace=JP&reason=WRONG_REGION');
  });

  it('says on the outcome URL and page whether the authorization was renewed or replaced another seller account', () => {
    expect(outcomeUrl('https://app.aob.test', '/v', success('UK', null, { kind: 'renewed' }))).toBe('https://app.aob.test/v?amazon_authorization=success&marketplace=UK&change=renewed');
    expect(outcomeUrl('https://app.aob.test', '/v', success('UK', 'NOT_REGISTERED', { kind: 'replaced', sellingPartnerId: 'A1OLDSELLER' }))).toBe(
      'https://app.aob.test/v?amazon_authorization=success&marketplace=UK&notice=NOT_REGISTERED&change=replaced&replaced=A1OLDSELLER',
    );
    expect(outcomeText(success('UK', null, { kind: 'renewed' })).title).toBe('Amazon authorization renewed');
    expect(outcomeText(success('UK', null, { kind: 'replaced', sellingPartnerId: 'A1OLDSELLER' })).message).toContain(
      'This replaced the authorization of Amazon seller account A1OLDSELLER, which AoB no longer uses.',
    );
    expect(outcomeText(success('UK')).title).toBe('Amazon is connected');
  });

  it('every reason code has a page text naming what happened and the next step', () => {
    for (const code of REASON_CODES) {
      expect(REASON_TEXT[code].title.length).toBeGreaterThan(10);
      expect(REASON_TEXT[code].nextStep.length).toBeGreaterThan(10);
    }
  });

  it('maps Amazon’s error parameter (S9)', () => {
    expect(reasonForAmazonError('access_denied')).toBe('ACCESS_DENIED');
    expect(reasonForAmazonError('temporarily_unavailable')).toBe('AMAZON_UNAVAILABLE');
    expect(reasonForAmazonError('invalid_request')).toBe('CODE_EXCHANGE_FAILED');
  });

  it('names one secret per authorization under the prefix, keeping account ids and authorizations apart', () => {
    expect(grantSecretName('p/', 'acct-1', 'EU#A1', 'state-hash-1')).toMatch(/^p\/acct-1\/EU\/A1\/a-[0-9a-f]{20}$/);
    expect(grantSecretName('p/', 'org:1', 'FE#A1#JP', 'state-hash-1')).toMatch(/^p\/org=3A1\/FE\/A1\/JP\/a-[0-9a-f]{20}$/);
    expect(grantSecretName('p/', 'org:1', 'EU#A1', 's')).not.toBe(grantSecretName('p/', 'org_1', 'EU#A1', 's'));
    expect(grantSecretName('p/', 'acct-1', 'EU#A1', 'state-hash-1')).toBe(grantSecretName('p/', 'acct-1', 'EU#A1', 'state-hash-1'));
    expect(grantSecretName('p/', 'acct-1', 'EU#A1', 'state-hash-1')).not.toBe(grantSecretName('p/', 'acct-1', 'EU#A1', 'state-hash-2'));
  });
});
