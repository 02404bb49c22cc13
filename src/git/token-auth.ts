/**
 * How git commands carry an installation token: only in an `http.extraHeader` passed per command
 * with `-c` (never in a URL, `.git/config` or a log), and how error texts are cleaned of it anyway.
 */

/** The `-c` setting that authenticates git's HTTP requests as GitHub expects (`x-access-token`). */
export function tokenHeaderConfig(token: string): string {
  return `http.extraHeader=Authorization: Basic ${Buffer.from(`x-access-token:${token}`).toString('base64')}`;
}

/** `text` with every given token replaced by `***`. */
export function redactTokens(text: string, ...tokens: string[]): string {
  return tokens.reduce((t, token) => (token ? t.split(token).join('***') : t), text);
}
