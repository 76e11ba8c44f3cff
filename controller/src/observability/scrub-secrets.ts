/**
 * Last line of defence for free text: cloud providers and databases sometimes echo
 * a password or a connection string back in an error message, and that text ends up
 * in a status condition, an Event or a log line. Every known secret value is
 * replaced by `***`, including the escaped forms it takes inside JSON bodies and URLs.
 */

export const SCRUBBED = '***';

/** The spellings a secret value can take in text we did not format ourselves. */
function spellings(secret: string): string[] {
  const forms = new Set([secret, JSON.stringify(secret).slice(1, -1)]);
  try {
    forms.add(encodeURIComponent(secret));
  } catch {
    // A lone surrogate cannot be URI-encoded; the other forms still apply.
  }
  return [...forms];
}

/**
 * Returns `text` with every occurrence of every non-blank value in `secrets` replaced
 * by `***`. Longer secrets are replaced first so a secret containing another one is
 * not left half-revealed.
 */
export function scrubSecrets(text: string, secrets: Iterable<string>): string {
  const forms: string[] = [];
  for (const secret of secrets) {
    if (typeof secret !== 'string' || secret.trim() === '') continue;
    forms.push(...spellings(secret));
  }
  if (forms.length === 0) return text;
  forms.sort((a, b) => b.length - a.length);
  let scrubbed = text;
  for (const form of forms) {
    if (scrubbed.includes(form)) scrubbed = scrubbed.split(form).join(SCRUBBED);
  }
  return scrubbed;
}

/** True when `text` contains any spelling of any non-blank value in `secrets`. */
export function containsSecret(text: string, secrets: Iterable<string>): boolean {
  for (const secret of secrets) {
    if (typeof secret !== 'string' || secret.trim() === '') continue;
    if (spellings(secret).some((form) => text.includes(form))) return true;
  }
  return false;
}
