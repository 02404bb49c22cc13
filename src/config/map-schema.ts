/**
 * The dependency map `unwind/map.yml` in the org config repo (SPEC §2.2). Single source of the
 * `DependencyMap` type and of `schemas/map.schema.json`.
 */
import { z } from 'zod';

export const SERVICE_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;
export const REPO_NAME = /^[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?\/[A-Za-z0-9._-]+$/;

const serviceName = z.string().regex(SERVICE_NAME);

export const ServiceSchema = z
  .strictObject({
    repo: z.string().regex(REPO_NAME).describe('The repository holding the service, as `owner/repo`. Required.'),
    path: z.string().describe('Folder of the service inside the repo, for repos holding several services. Empty: the whole repo.').default(''),
    depends_on: z.array(serviceName).describe('Services this one depends on. Dependents are rolled back before what they depend on.').default([]),
    rollback: z
      .enum(['revert', 'compensate'])
      .describe('`revert`: changes are git-reverted. `compensate`: never reverted; only its contract\'s compensations run (e.g. a schema repo).')
      .default('revert'),
    tier: z.string().describe('Free-form tier (e.g. `prod`), passed to governance policies.').default(''),
  })
  .describe('A service: where it lives and what it depends on.');

export const MapSchema = z
  .strictObject({
    services: z.record(serviceName, ServiceSchema).describe('Services by name.').default({}),
    groups: z
      .record(serviceName, z.array(serviceName))
      .describe('Named groups of services that must roll back in unison (in the same wave).')
      .default({}),
    paused: z.boolean().describe('Org-wide kill switch: when true, every rollback except `abort` stops.').default(false),
  })
  .describe('Unwind dependency map (unwind/map.yml in the org config repo): services, their dependencies and groups.');

export type DependencyMap = z.output<typeof MapSchema>;
export type ServiceEntry = z.output<typeof ServiceSchema>;

export function emptyMap(): DependencyMap {
  return MapSchema.parse({});
}
