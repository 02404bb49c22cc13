/**
 * The app's structured logger: pino JSON lines on stdout, with every field that could carry a
 * secret censored wherever it appears (Unwind never logs tokens on purpose; this makes sure a
 * library or a careless `{ err }` cannot either). Probot adds the delivery id to every event's lines,
 * the runner the rollback id.
 */
import { pino, type DestinationStream, type Logger as PinoLogger } from 'pino';

export const REDACTED_KEYS = ['token', 'accessToken', 'access_token', 'authorization', 'Authorization', 'privateKey', 'private_key', 'password', 'secret', 'webhookSecret', 'cookie'];

export function createLog(level: string, destination?: DestinationStream): PinoLogger {
  const paths = REDACTED_KEYS.flatMap((k) => [k, `*.${k}`, `*.*.${k}`, `*.headers.${k}`]);
  return pino({ level, name: 'unwind', redact: { paths, censor: '[redacted]' } }, destination ?? pino.destination(1));
}
