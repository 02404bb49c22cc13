/** A policy set that cannot be used: the message names the file (and line:col when known). */
export class PolicyLoadError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PolicyLoadError';
  }
}
