/** Cross-file rules: a contract's `service:` must agree with the dependency map. */
import type { DependencyMap } from './map-schema.ts';
import type { ConfigProblem } from './problem.ts';
import type { LoadedContract } from './loaded.ts';
import { didYouMean } from '../shared/did-you-mean.ts';
import { quoteText } from './unsafe-text.ts';
import { own } from '../shared/own.ts';

export function checkContractsAgainstMap(map: DependencyMap, contracts: Iterable<LoadedContract>): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const names = Object.keys(map.services);
  for (const loaded of contracts) {
    const service = loaded.contract?.service ?? '';
    if (service === '' || loaded.serviceAt === null) continue;
    const where = { file: loaded.serviceAt.file, line: loaded.serviceAt.line, col: loaded.serviceAt.col, path: 'service' };
    const entry = own(map.services, service);
    if (entry === undefined) {
      const guess = didYouMean(service, names);
      problems.push({
        ...where, severity: 'warning',
        message: `service ${quoteText(service)} of ${loaded.repo} is not in the dependency map`,
        hint: guess !== null ? `did you mean ${quoteText(guess)}?` : 'add it to unwind/map.yml so it is ordered with its dependencies',
      });
    } else if (entry.repo.toLowerCase() !== loaded.repo.toLowerCase()) {
      problems.push({
        ...where, severity: 'error',
        message: `service ${quoteText(service)} is mapped to two repos: ${entry.repo} (dependency map) and ${loaded.repo} (this contract)`,
        hint: 'fix `service:` here or the service\'s `repo` in unwind/map.yml',
      });
    }
  }
  return problems;
}
