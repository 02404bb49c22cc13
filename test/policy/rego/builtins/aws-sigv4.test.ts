/** providers.aws.sign_req against AWS's own SigV4 example (the IAM ListUsers request of the SigV4 documentation). */
import { describe, expect, it } from 'vitest';
import { compile } from '../../../../src/policy/rego/index.ts';
import { toJS } from '../../../../src/policy/rego/value.ts';

function sign(input: Record<string, unknown>): Record<string, unknown> {
  const r = compile({ modules: [] }).queryFull('x := providers.aws.sign_req(input.req, input.config, input.ns)', { input, strictBuiltinErrors: true });
  return toJS(r.solutions[0].bindings.x) as Record<string, unknown>;
}

const config = { aws_access_key: 'AKIDEXAMPLE', aws_secret_access_key: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY', aws_service: 'iam', aws_region: 'us-east-1' };
const ns = Date.parse('2015-08-30T12:36:00Z') * 1_000_000;

describe('providers.aws.sign_req', () => {
  it('reproduces the documented signature', () => {
    const req = { method: 'GET', url: 'https://iam.amazonaws.com/?Action=ListUsers&Version=2010-05-08', headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' } };
    const out = sign({ req, config, ns });
    expect(out.headers).toEqual({
      'content-type': 'application/x-www-form-urlencoded; charset=utf-8',
      host: 'iam.amazonaws.com',
      'x-amz-date': '20150830T123600Z',
      Authorization:
        'AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/iam/aws4_request,SignedHeaders=content-type;host;x-amz-date,Signature=5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7',
    });
    expect(out.url).toBe(req.url);
  });

  it('refuses a config without credentials', () => {
    expect(() => sign({ req: { method: 'GET', url: 'https://x' }, config: { aws_service: 's3' }, ns })).toThrow('providers.aws.sign_req: invalid value for "aws_access_key"');
  });
});
