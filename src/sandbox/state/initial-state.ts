/** A fresh sandbox state: the App, its owner and the GitHub Actions app account. */
import { randomBytes } from 'node:crypto';
import type { SandboxState } from './model.ts';

export const APP_ID = 424242;
export const APP_SLUG = 'unwind';
export const ACTIONS_APP_ID = 15368;

export function initialState(now: Date): SandboxState {
  const at = isoSeconds(now);
  return {
    version: 1,
    nextId: 1000,
    app: { id: APP_ID, slug: APP_SLUG, name: 'Unwind', webhookSecret: randomBytes(20).toString('hex'), ownerLogin: 'unwind-dev', createdAt: at },
    webhookUrl: null,
    accounts: {
      'unwind-dev': { id: 1, login: 'unwind-dev', type: 'Organization', name: 'Unwind developers', email: null, createdAt: at, members: {} },
      github: { id: 9919, login: 'github', type: 'Organization', name: 'GitHub', email: null, createdAt: at, members: {} },
      [`${APP_SLUG}[bot]`]: { id: 41898282 + 1, login: `${APP_SLUG}[bot]`, type: 'Bot', name: null, email: null, createdAt: at },
      'github-actions[bot]': { id: 41898282, login: 'github-actions[bot]', type: 'Bot', name: null, email: null, createdAt: at },
    },
    teams: [],
    repos: {},
    installations: [],
    tokens: {},
    issues: [],
    pulls: [],
    comments: [],
    reviews: [],
    statuses: [],
    checkSuites: [],
    checkRuns: [],
    workflowRuns: [],
    deliveries: [],
  };
}

/** GitHub timestamps: ISO 8601 without milliseconds. */
export function isoSeconds(d: Date): string {
  return d.toISOString().replace(/\.\d{3}Z$/, 'Z');
}
