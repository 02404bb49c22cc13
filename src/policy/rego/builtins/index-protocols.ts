/** Protocol and format families backed by maintained libraries: JWT (node:crypto), CIDR (ipaddr.js), GraphQL (graphql-js), X.509 (@peculiar/x509), AWS SigV4 (node:crypto), JSON Schema (ajv); http.send (disabled) and opa.runtime. */
import type { BuiltinDef } from '../builtin-types.ts';
import { awsBuiltins } from './aws-sigv4.ts';
import { graphqlBuiltins } from './graphql.ts';
import { jsonSchemaBuiltins } from './json-schema.ts';
import { jwtBuiltins } from './jwt.ts';
import { netBuiltins } from './net.ts';
import { runtimeBuiltins } from './runtime.ts';
import { x509VerifyBuiltins } from './x509-verify.ts';
import { x509Builtins } from './x509.ts';

export const protocolBuiltins: BuiltinDef[] = [...jwtBuiltins, ...netBuiltins, ...graphqlBuiltins, ...x509Builtins, ...x509VerifyBuiltins, ...awsBuiltins, ...jsonSchemaBuiltins, ...runtimeBuiltins];
