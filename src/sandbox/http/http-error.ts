/** GitHub-style REST errors: `{message, documentation_url}` (+ `status` on 4xx/5xx like GitHub, + `errors` on 422). */
export const DOCS = 'https://docs.github.com/rest';

export interface ValidationErrorItem {
  resource: string;
  code: string;
  field?: string;
  message?: string;
}

export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly extra: { errors?: ValidationErrorItem[]; headers?: Record<string, string>; documentationUrl?: string } = {},
  ) {
    super(message);
  }

  body(): Record<string, unknown> {
    const body: Record<string, unknown> = { message: this.message, documentation_url: this.extra.documentationUrl ?? DOCS };
    if (this.extra.errors) body.errors = this.extra.errors;
    body.status = String(this.status);
    return body;
  }
}

export const notFound = (): HttpError => new HttpError(404, 'Not Found');
export const badCredentials = (): HttpError => new HttpError(401, 'Bad credentials');
export const requiresAuth = (): HttpError => new HttpError(401, 'Requires authentication');
export const notAccessible = (): HttpError => new HttpError(403, 'Resource not accessible by integration');
export const validationFailed = (errors: ValidationErrorItem[], message = 'Validation Failed'): HttpError =>
  new HttpError(422, message, { errors });
export const invalidField = (resource: string, field: string, message?: string): HttpError =>
  validationFailed([{ resource, code: 'invalid', field, ...(message ? { message } : {}) }]);
export const missingField = (resource: string, field: string): HttpError => validationFailed([{ resource, code: 'missing_field', field }]);
