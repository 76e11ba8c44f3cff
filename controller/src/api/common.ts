import { z } from 'zod';

/**
 * Building blocks shared by every resource. Each field carries a description because the CRD
 * generator copies it into the schema, which is what `kubectl explain` prints.
 */

export const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
export const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/** A Go-style duration as users write it in YAML: 30s, 5m, 1h30m, 250ms. */
export const DURATION = /^([0-9]+(\.[0-9]+)?(ms|s|m|h))+$/;

export const objectName = (description: string) => z.string().min(1).max(253).regex(DNS_SUBDOMAIN).describe(description);

export const duration = (description: string) => z.string().max(32).regex(DURATION).describe(description);

/** A key in a Secret in the same namespace as the object that refers to it. */
export const SecretKeySelector = z.object({
  name: objectName('Name of the Secret, in the same namespace as the ReplicationJob.'),
  key: z
    .string()
    .min(1)
    .max(253)
    .regex(/^[-._a-zA-Z0-9]+$/)
    .describe('Key inside the Secret whose value is used.'),
});
export type SecretKeySelector = z.infer<typeof SecretKeySelector>;

export const secretKeySelector = (description: string) => SecretKeySelector.describe(description);

/** A standard metav1.Condition, as every well-behaved controller writes them. */
export const Condition = z.object({
  type: z.string().min(1).max(316).describe('Type of the condition: Ready, Synced, PrecheckPassed or Terminal.'),
  status: z.enum(['True', 'False', 'Unknown']).describe('Status of the condition: True, False or Unknown.'),
  reason: z
    .string()
    .min(1)
    .max(1024)
    .regex(/^[A-Za-z]([A-Za-z0-9_,:]*[A-Za-z0-9_])?$/)
    .describe('A programmatic CamelCase identifier for the last transition; stable, suitable for alerts.'),
  message: z.string().max(32768).describe('A human readable explanation of the last transition, including what to do next.'),
  lastTransitionTime: z.iso.datetime().describe('When the condition last changed status.'),
  observedGeneration: z
    .number()
    .int()
    .min(0)
    .optional()
    .describe('The metadata.generation the condition was computed from; older than metadata.generation means stale.'),
});
export type Condition = z.infer<typeof Condition>;

export const conditionList = (description: string) =>
  z
    .array(Condition)
    .max(16)
    .optional()
    .meta({ description, 'x-kubernetes-list-type': 'map', 'x-kubernetes-list-map-keys': ['type'] });
