/** io.jwt.* on real keys: tokens signed here verify, tampered or expired ones do not (OPA topdown/tokens.go). */
import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { compile } from '../../../../src/policy/rego/index.ts';
import { toJS } from '../../../../src/policy/rego/value.ts';

function q(query: string, input: unknown): unknown {
  const r = compile({ modules: [] }).queryFull(query, { input, strictBuiltinErrors: true, nowNs: 2_000_000_000_000_000_000n });
  return r.solutions.length ? toJS(r.solutions[0].bindings.x) : undefined;
}

describe('io.jwt', () => {
  const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const jwk = rsa.privateKey.export({ format: 'jwk' });
  const pub = rsa.publicKey.export({ format: 'pem', type: 'spki' }).toString();
  const claims = { iss: 'unwind', aud: 'ops', exp: 2_500_000_000 };

  for (const alg of ['RS256', 'PS384']) {
    it(`${alg}: encode_sign then verify and decode_verify with the public key`, () => {
      const token = q('x := io.jwt.encode_sign({"alg": input.alg}, input.claims, input.jwk)', { alg, claims, jwk }) as string;
      expect(token.split('.')).toHaveLength(3);
      expect(q(`x := io.jwt.verify_${alg.toLowerCase()}(input.t, input.pem)`, { t: token, pem: pub })).toBe(true);
      expect(q('x := io.jwt.decode_verify(input.t, {"cert": input.pem, "iss": "unwind", "aud": "ops"})', { t: token, pem: pub })).toEqual([true, { alg }, claims]);
      // A different audience, a later clock, or one flipped signature byte: unverified, not an error.
      const unverified = [false, {}, {}];
      expect(q('x := io.jwt.decode_verify(input.t, {"cert": input.pem, "aud": "dev"})', { t: token, pem: pub })).toEqual(unverified);
      expect(q('x := io.jwt.decode_verify(input.t, {"cert": input.pem, "aud": "ops", "time": 2600000000000000000})', { t: token, pem: pub })).toEqual(unverified);
      const bad = token.slice(0, -2) + (token.endsWith('AA') ? 'BB' : 'AA');
      expect(q(`x := io.jwt.verify_${alg.toLowerCase()}(input.t, input.pem)`, { t: bad, pem: pub })).toBe(false);
    });
  }

  it('HS256 with a secret; decode returns header, payload and the hex signature', () => {
    const token = q('x := io.jwt.encode_sign({"alg": "HS256", "typ": "JWT"}, {"sub": "a"}, {"kty": "oct", "k": "c2VjcmV0"})', {}) as string;
    expect(q('x := io.jwt.verify_hs256(input.t, "secret")', { t: token })).toBe(true);
    expect(q('x := io.jwt.verify_hs256(input.t, "other")', { t: token })).toBe(false);
    const [h, p, sig] = q('x := io.jwt.decode(input.t)', { t: token }) as [unknown, unknown, string];
    expect([h, p]).toEqual([{ alg: 'HS256', typ: 'JWT' }, { sub: 'a' }]);
    expect(sig).toBe(Buffer.from(token.split('.')[2], 'base64url').toString('hex'));
  });

  it('malformed tokens are errors with OPA messages', () => {
    expect(() => q('x := io.jwt.decode("abc")', {})).toThrow('io.jwt.decode: encoded JWT had no period separators');
    expect(() => q('x := io.jwt.decode("a.b")', {})).toThrow('encoded JWT must have 3 sections, found 2');
    expect(() => q('x := io.jwt.decode_verify("a.b.c", {})', {})).toThrow('no key constraint');
  });
});
