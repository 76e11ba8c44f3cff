import type { Condition } from '../api/common.ts';
import { CONDITION_TYPES, type ConditionType } from '../api/phase.ts';

export interface ConditionInput {
  type: ConditionType;
  status: 'True' | 'False' | 'Unknown';
  reason: string;
  message: string;
}

/**
 * Merge a condition into a list the way metav1 SetStatusCondition does: lastTransitionTime
 * only moves when status flips, so dashboards and alerts see real transitions.
 */
export function setCondition(conditions: Condition[] | undefined, input: ConditionInput, now: string, generation: number): Condition[] {
  const list = conditions ? [...conditions] : [];
  const index = list.findIndex((c) => c.type === input.type);
  const previous = index >= 0 ? list[index] : undefined;
  const next: Condition = {
    type: input.type,
    status: input.status,
    reason: input.reason,
    message: input.message,
    lastTransitionTime: previous && previous.status === input.status ? previous.lastTransitionTime : now,
    observedGeneration: generation,
  };
  if (index >= 0) list[index] = next;
  else list.push(next);
  return sortConditions(list);
}

export function removeCondition(conditions: Condition[] | undefined, type: ConditionType): Condition[] {
  return (conditions ?? []).filter((c) => c.type !== type);
}

export function findCondition(conditions: Condition[] | undefined, type: ConditionType): Condition | undefined {
  return conditions?.find((c) => c.type === type);
}

const ORDER: ConditionType[] = [CONDITION_TYPES.Ready, CONDITION_TYPES.Synced, CONDITION_TYPES.PrecheckPassed, CONDITION_TYPES.Terminal];

/** A stable order, so identical status never produces a spurious patch. */
function sortConditions(list: Condition[]): Condition[] {
  return list.sort((a, b) => ORDER.indexOf(a.type as ConditionType) - ORDER.indexOf(b.type as ConditionType));
}
