/**
 * The provider job name, derived from the object's uid so a create interrupted by a crash can
 * be found again by name. It satisfies the strictest provider rule (DRS: 4-50 characters,
 * starts with a letter, letters, digits, - and _ only).
 */
export function providerJobName(uid: string): string {
  const clean = uid.toLowerCase().replace(/[^a-z0-9-]/g, '');
  return `rj-${clean}`.slice(0, 50);
}
