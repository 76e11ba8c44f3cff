/**
 * "Next time X happens to a job matching M, make it come out as V" — the simulator's
 * controllable outcomes. A rule matches a job id, a name pattern, an endpoint, or everything;
 * `once` rules are consumed by their first match. The newest matching rule wins.
 */
export interface OutcomeMatch {
  jobId?: string;
  /** Regular expression tested against the job name. */
  namePattern?: string;
  endpointType?: 'so' | 'ta';
}

export interface OutcomeRule<T> extends OutcomeMatch {
  value: T;
  once: boolean;
}

export interface OutcomeSubject {
  jobId: string;
  name: string;
  endpointType?: 'so' | 'ta';
}

export class OutcomeRules<T> {
  private rules: Array<OutcomeRule<T>> = [];

  add(rule: OutcomeRule<T>): void {
    if (rule.namePattern !== undefined) new RegExp(rule.namePattern); // reject bad patterns up front
    this.rules.push(rule);
  }

  /** Removes the rules for exactly this match (a "reset" for one job or the default). */
  clear(match: OutcomeMatch = {}): void {
    this.rules = this.rules.filter(
      (rule) => !(rule.jobId === match.jobId && rule.namePattern === match.namePattern && rule.endpointType === match.endpointType),
    );
  }

  clearAll(): void {
    this.rules = [];
  }

  /** The value for `subject`, consuming a `once` rule. */
  take(subject: OutcomeSubject): T | undefined {
    for (let i = this.rules.length - 1; i >= 0; i -= 1) {
      const rule = this.rules[i]!;
      if (!matches(rule, subject)) continue;
      if (rule.once) this.rules.splice(i, 1);
      return rule.value;
    }
    return undefined;
  }

  list(): ReadonlyArray<OutcomeRule<T>> {
    return this.rules;
  }
}

function matches(rule: OutcomeMatch, subject: OutcomeSubject): boolean {
  if (rule.jobId !== undefined && rule.jobId !== subject.jobId) return false;
  if (rule.endpointType !== undefined && rule.endpointType !== subject.endpointType) return false;
  if (rule.namePattern !== undefined && !new RegExp(rule.namePattern).test(subject.name)) return false;
  return true;
}
