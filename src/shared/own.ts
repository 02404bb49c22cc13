/**
 * Lookups in records keyed by names a user wrote (services, groups): only the record's own entries count,
 * never what every object inherits (`toString`, `constructor`, `hasOwnProperty`, `__proto__`).
 */
export function own<T>(record: Readonly<Record<string, T>>, key: string): T | undefined {
  return Object.hasOwn(record, key) ? record[key] : undefined;
}
