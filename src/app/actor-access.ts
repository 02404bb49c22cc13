/**
 * What one person may see and do, repository by repository: their permission on each repository a
 * command involves (GitHub's collaborator permission; anyone can read a public repository), read
 * once per command. Unwind never shows a person anything of a repository they cannot read, and the
 * policy sees their permission on every repository the plan touches, not only where they commented.
 */
import type { GitHubPort, Permission } from '../github/port.ts';
import { parseRepo } from '../shared/repo-name.ts';

const RANK: Record<Permission, number> = { none: 0, read: 1, write: 2, admin: 3 };

export class ActorAccess {
  private readonly perms = new Map<string, Promise<Permission>>();
  private readonly privacy = new Map<string, Promise<boolean>>();

  constructor(
    private readonly port: GitHubPort,
    readonly login: string,
    /** Unwind itself (automatic reverts): the App's own installation grants decide, not a person's. */
    readonly isUnwind = false,
  ) {}

  /** The effective permission on `repo` (`owner/repo`): a public repository is readable by anyone. */
  async permission(repo: string): Promise<Permission> {
    const key = repo.toLowerCase();
    let p = this.perms.get(key);
    if (!p) this.perms.set(key, (p = this.read(repo)));
    return p;
  }

  /** Whether `repo` is private (or cannot be seen at all: counted as private, fail closed). */
  async isPrivate(repo: string): Promise<boolean> {
    const key = repo.toLowerCase();
    let p = this.privacy.get(key);
    if (!p) this.privacy.set(key, (p = this.port.getRepo(parseRepo(repo)).then((info) => info?.private ?? true)));
    return p;
  }

  async canRead(repo: string): Promise<boolean> {
    return RANK[await this.permission(repo)] >= RANK.read;
  }

  /** The repositories of `repos` this person cannot read, in the order given, without duplicates. */
  async unreadable(repos: readonly string[]): Promise<string[]> {
    // Asked all at once: one round trip for the plan's repositories, not one each.
    const unique = [...new Set(repos)];
    const readable = await Promise.all(unique.map((repo) => this.canRead(repo)));
    return unique.filter((_, i) => !readable[i]);
  }

  /** Permission per repository, and the lowest of them (what a policy written for one repository must see). */
  async over(repos: readonly string[]): Promise<{ permissions: Record<string, Permission>; lowest: Permission }> {
    const permissions: Record<string, Permission> = {};
    let lowest: Permission = 'admin';
    const sorted = [...new Set(repos)].sort();
    const granted = await Promise.all(sorted.map((repo) => this.permission(repo)));
    sorted.forEach((repo, i) => {
      const p = granted[i]!;
      permissions[repo] = p;
      if (RANK[p] < RANK[lowest]) lowest = p;
    });
    return { permissions, lowest };
  }

  private async read(repo: string): Promise<Permission> {
    if (this.isUnwind) return 'write';
    const granted = await this.port.getPermission(parseRepo(repo), this.login);
    if (granted !== 'none') return granted;
    return (await this.isPrivate(repo)) ? 'none' : 'read';
  }
}

/** Content of `repo` may be quoted in a comment on `here` only if everyone who reads `here` can read it. */
export async function quotableIn(access: ActorAccess, repo: string, here: string): Promise<boolean> {
  return repo.toLowerCase() === here.toLowerCase() || !(await access.isPrivate(repo));
}
