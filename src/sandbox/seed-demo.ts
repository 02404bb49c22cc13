/** The demo world: org `acme`, people, teams, five repos with history, CI, and the App installed. */
import type { SandboxDriver } from './types.ts';
import { DEFAULT_PERMISSIONS } from './services/install-app.ts';

export async function seedDemo(d: SandboxDriver): Promise<void> {
  await d.createOrg('acme');
  await d.createUser('alice', { name: 'Alice Example' });
  await d.createUser('bob', { name: 'Bob Example' });
  await d.createUser('carol', { name: 'Carol Example' });
  await d.createTeam('acme', 'sre', ['bob'], ['bob']);
  await d.createTeam('acme', 'platform', ['alice', 'bob']);
  await d.createRepo('acme', '.github', {
    files: {
      'README.md': '# acme/.github\n\nOrganisation-wide configuration.\n',
      '.github/unwind.yml': 'version: 1\n# Unwind contract for acme: see docs.\n',
    },
  });
  const repos: Record<string, Record<string, string>> = {
    web: { 'README.md': '# web\n', 'src/app.js': 'export const version = 1;\n', 'package.json': '{ "name": "web", "version": "1.0.0" }\n' },
    api: { 'README.md': '# api\n', 'src/server.js': 'export const port = 8080;\n', 'openapi.yml': 'openapi: 3.0.0\n' },
    billing: { 'README.md': '# billing\n', 'src/invoice.js': 'export const currency = "EUR";\n' },
    schema: { 'README.md': '# schema\n', 'migrations/001_init.sql': 'CREATE TABLE accounts (id int);\n' },
  };
  for (const [name, files] of Object.entries(repos)) {
    await d.createRepo('acme', name, { files });
    await d.addCollaborator('acme', name, 'alice', 'write');
    await d.addCollaborator('acme', name, 'bob', 'maintain');
    await d.addCollaborator('acme', name, 'carol', 'read');
    await d.setCI('acme', name, [{ name: 'ci', result: 'success' }]);
    await d.setProtection('acme', name, 'main', { requiredChecks: ['ci'] });
  }
  await d.installApp('acme', { repositories: 'all', permissions: { ...DEFAULT_PERMISSIONS } });
  await d.commit('acme', 'web', { branch: 'main', files: { 'src/app.js': 'export const version = 2;\n' }, message: 'web: bump version to 2', author: 'alice' });
  await d.commit('acme', 'api', { branch: 'main', files: { 'src/server.js': 'export const port = 8081;\n' }, message: 'api: move to port 8081', author: 'bob' });
  await d.commit('acme', 'billing', { branch: 'main', files: { 'src/invoice.js': 'export const currency = "USD";\n' }, message: 'billing: switch currency', author: 'alice' });
  await d.commit('acme', 'schema', { branch: 'main', files: { 'migrations/002_email.sql': 'ALTER TABLE accounts ADD email text;\n' }, message: 'schema: add email column', author: 'bob' });
}
