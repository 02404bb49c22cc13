/**
 * providers.aws.sign_req (OPA topdown/providers.go, internal/providers/aws/signing_v4.go): signs an
 * http.send-style request object with AWS Signature Version 4, the documented HMAC-SHA256 chain
 * (node:crypto), and returns the request with the signed headers added.
 */
import { createHash, createHmac } from 'node:crypto';
import type { BuiltinDef } from '../builtin-types.ts';
import { isNum, RObject } from '../value.ts';
import type { Value } from '../value.ts';
import { goJSON } from './go-json.ts';
import { evalErr, obj, typeErr } from './operands.ts';

const NAME = 'providers.aws.sign_req';
/** Headers OPA leaves out of the signature. */
const IGNORED = new Set(['authorization', 'user-agent', 'x-amzn-trace-id']);

const sha256Hex = (data: Buffer | string): string => createHash('sha256').update(data).digest('hex');
const hmac = (key: Buffer | string, data: string): Buffer => createHmac('sha256', key).update(data, 'utf8').digest();

function configString(config: RObject, key: string, required: boolean): string {
  const v = config.get(key);
  if (v === undefined) {
    if (required) throw evalErr(NAME, `invalid value for "${key}" in AWS config object: missing required key`);
    return '';
  }
  if (typeof v !== 'string') throw evalErr(NAME, `invalid value for "${key}" in AWS config object: must be a string`);
  return v;
}

/** Host and escaped path of the URL as Go's url.URL gives them (an absent path stays empty). */
function splitUrl(url: string): { host: string; path: string; query: string } {
  const m = /^[a-zA-Z][a-zA-Z0-9+.-]*:\/\/([^/?#]*)([^?#]*)(?:\?([^#]*))?/.exec(url);
  if (!m) throw evalErr(NAME, `invalid URL: ${url}`);
  const host = m[1].replace(/^[^@]*@/, '');
  return { host, path: m[2], query: m[3] ?? '' };
}

/** Header values as OPA reads them: a string, or an array of strings (joined with commas when signed). */
function headerValues(v: Value): string[] {
  if (typeof v === 'string') return [v];
  if (Array.isArray(v) && v.every((x) => typeof x === 'string')) return v as string[];
  throw evalErr(NAME, 'header values must be strings or arrays of strings');
}

function signRequest(args: Value[]): Value {
  const req = obj(NAME, args, 0);
  const config = obj(NAME, args, 1);
  const ts = args[2];
  if (!isNum(ts)) throw typeErr(NAME, 3, ts, 'number');
  if (!ts.isInteger()) throw evalErr(NAME, 'operand 3 could not convert time_ns value into a unix timestamp');

  const accessKey = configString(config, 'aws_access_key', true);
  const secretKey = configString(config, 'aws_secret_access_key', true);
  const service = configString(config, 'aws_service', true);
  const region = configString(config, 'aws_region', true);
  const sessionToken = configString(config, 'aws_session_token', false);
  const unsigned = config.get('disable_payload_signing');
  if (unsigned !== undefined && typeof unsigned !== 'boolean') throw evalErr(NAME, 'invalid value for "disable_payload_signing" in AWS config object: must be a boolean');

  const method = req.get('method');
  if (typeof method !== 'string') throw evalErr(NAME, 'request object is missing a string "method"');
  const url = req.get('url');
  if (typeof url !== 'string') throw evalErr(NAME, 'request object is missing a string "url"');
  const { host, path, query } = splitUrl(url);

  // The body: `raw_body` as is, else `body` as JSON (Go's encoding, sets as arrays).
  const bodyValue = req.get('body');
  const rawBody = req.get('raw_body');
  if (rawBody !== undefined && typeof rawBody !== 'string') throw evalErr(NAME, 'request "raw_body" must be a string');
  const body = typeof rawBody === 'string' ? rawBody : bodyValue !== undefined ? goJSON(bodyValue) : '';
  const contentSha256 = unsigned === true ? 'UNSIGNED-PAYLOAD' : sha256Hex(Buffer.from(body, 'utf8'));

  const when = new Date(Number(BigInt(ts.toFixed(0)) / 1_000_000n));
  const iso = when.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
  const date = iso.slice(0, 8);

  const awsHeaders: Record<string, string> = { host, 'x-amz-date': iso };
  // S3 and Glacier require the payload hash header; other services do not.
  if (service === 's3' || service === 'glacier') awsHeaders['x-amz-content-sha256'] = contentSha256;
  if (sessionToken) awsHeaders['x-amz-security-token'] = sessionToken;

  const given = req.get('headers');
  if (given !== undefined && !(given instanceof RObject)) throw evalErr(NAME, 'request "headers" must be an object');
  const toSign = new Map<string, string[]>(Object.entries(awsHeaders).map(([k, v]) => [k, [v]]));
  const requestHeaders: Array<[string, string[]]> = [];
  for (const [k, v] of given?.entries() ?? []) {
    if (typeof k !== 'string') throw evalErr(NAME, 'request header names must be strings');
    requestHeaders.push([k, headerValues(v)]);
    const lower = k.toLowerCase();
    // As OPA: a request header is signed with its own value even where the returned headers carry OPA's.
    if (!IGNORED.has(lower)) toSign.set(lower, headerValues(v));
  }

  const names = [...toSign.keys()].sort();
  const signedHeaders = names.join(';');
  // OPA signs the method as given (not upper-cased) and Go's EscapedPath (empty for a bare host).
  const canonical = [method, path, query, ...names.map((k) => `${k}:${toSign.get(k)!.join(',')}`), '', signedHeaders, contentSha256].join('\n');
  const scope = `${date}/${region}/${service}/aws4_request`;
  const stringToSign = ['AWS4-HMAC-SHA256', iso, scope, sha256Hex(canonical)].join('\n');
  let key = hmac(`AWS4${secretKey}`, date);
  for (const part of [region, service, 'aws4_request']) key = hmac(key, part);
  const signature = hmac(key, stringToSign).toString('hex');

  const headers = new RObject();
  for (const [k, vs] of requestHeaders) headers.set(k, vs.length === 1 ? vs[0] : vs);
  for (const [k, v] of Object.entries(awsHeaders)) headers.set(k, v);
  headers.set('Authorization', `AWS4-HMAC-SHA256 Credential=${accessKey}/${scope},SignedHeaders=${signedHeaders},Signature=${signature}`);
  const out = new RObject(req.entries());
  out.set('headers', headers);
  return out;
}

export const awsBuiltins: BuiltinDef[] = [
  {
    name: NAME,
    arity: 3,
    types: '(request: object[string: any], aws_config: object[string: any], time_ns: number) => signed_request: object[any: any]',
    fn: signRequest,
  },
];
