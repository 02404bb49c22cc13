/** Test helpers that turn an Octokit call into `{status, message, headers, errors}` instead of a thrown RequestError. */

export interface HttpOutcome {
  status: number;
  message: string;
  headers: Record<string, string>;
  errors?: unknown[];
}

interface RequestErrorLike {
  status: number;
  response?: { data?: { message?: string; errors?: unknown[] }; headers?: Record<string, string> };
}

function fromError(err: unknown): HttpOutcome {
  const e = err as RequestErrorLike;
  return { status: e.status, message: e.response?.data?.message ?? '', headers: e.response?.headers ?? {}, errors: e.response?.data?.errors };
}

/** The answer of a call that may succeed or fail (a success has an empty message and no headers). */
export async function outcome(p: Promise<{ status: number }>): Promise<HttpOutcome> {
  try {
    const r = await p;
    return { status: r.status, message: '', headers: {} };
  } catch (err) {
    return fromError(err);
  }
}

/** The error answer of a call that must fail; throws when it succeeds. */
export async function failure(p: Promise<unknown>): Promise<HttpOutcome> {
  try {
    await p;
  } catch (err) {
    return fromError(err);
  }
  throw new Error('expected the request to fail');
}
