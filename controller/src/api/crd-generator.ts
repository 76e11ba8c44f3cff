import { z } from 'zod';
import { API_GROUP, API_VERSION, KINDS } from './group.ts';
import { CATEGORY, CRD_DEFINITIONS, type CrdDefinition } from './crd-definitions.ts';

/**
 * Turns the zod schemas into CustomResourceDefinitions. zod is the single source of truth:
 * the CRD in crds/ is generated from here and a test fails when it is stale.
 *
 * zod's JSON Schema output is close to a Kubernetes structural schema; what differs is fixed
 * here: no $schema, no `additionalProperties: false` (structural schemas forbid it; unknown
 * fields are pruned instead), no regex on date-time strings (format says it), and free-form
 * maps become `x-kubernetes-preserve-unknown-fields`.
 */

export type JsonSchema = { [key: string]: unknown };

export function toStructuralSchema(schema: z.ZodType): JsonSchema {
  const raw = z.toJSONSchema(schema, { target: 'openapi-3.0', io: 'input', unrepresentable: 'throw' }) as JsonSchema;
  return normalize(raw);
}

function normalize(node: JsonSchema): JsonSchema {
  const out: JsonSchema = {};
  for (const [key, value] of Object.entries(node)) {
    if (key === '$schema' || key === 'propertyNames') continue;
    if (key === 'additionalProperties' && (value === false || isEmptyObject(value))) continue;
    if (key === 'pattern' && node.format === 'date-time') continue;
    if (key === 'properties') {
      out.properties = Object.fromEntries(Object.entries(value as Record<string, JsonSchema>).map(([k, v]) => [k, normalize(v)]));
    } else if ((key === 'items' || key === 'additionalProperties') && isObject(value)) {
      out[key] = normalize(value);
    } else {
      out[key] = value;
    }
  }
  if (out['x-kubernetes-preserve-unknown-fields'] === true) delete out.additionalProperties;
  return out;
}

const isObject = (v: unknown): v is JsonSchema => typeof v === 'object' && v !== null && !Array.isArray(v);
const isEmptyObject = (v: unknown) => isObject(v) && Object.keys(v).length === 0;

/** Paths of properties that lack a description: `kubectl explain` would print nothing for them. */
export function undocumentedFields(schema: JsonSchema, path = ''): string[] {
  const missing: string[] = [];
  const props = schema.properties as Record<string, JsonSchema> | undefined;
  for (const [name, child] of Object.entries(props ?? {})) {
    const childPath = path ? `${path}.${name}` : name;
    if (typeof child.description !== 'string' || child.description.length === 0) missing.push(childPath);
    missing.push(...undocumentedFields(child, childPath));
  }
  const items = schema.items;
  if (isObject(items)) missing.push(...undocumentedFields(items, `${path}[]`));
  const values = schema.additionalProperties;
  if (isObject(values)) missing.push(...undocumentedFields(values, `${path}{}`));
  return missing;
}

export function buildCrd(def: CrdDefinition): JsonSchema {
  const names = KINDS[def.kind];
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: {
      name: `${names.plural}.${API_GROUP}`,
      labels: { 'app.kubernetes.io/name': 'drs-operator', 'app.kubernetes.io/part-of': 'drs-operator' },
    },
    spec: {
      group: API_GROUP,
      names: {
        kind: names.kind,
        listKind: `${names.kind}List`,
        plural: names.plural,
        singular: names.singular,
        shortNames: [...names.shortNames],
        categories: [CATEGORY],
      },
      scope: names.namespaced ? 'Namespaced' : 'Cluster',
      versions: [
        {
          name: API_VERSION,
          served: true,
          storage: true,
          subresources: { status: {} },
          additionalPrinterColumns: def.printerColumns,
          schema: {
            openAPIV3Schema: {
              type: 'object',
              description: def.description,
              required: ['spec'],
              properties: {
                apiVersion: {
                  type: 'string',
                  description:
                    'APIVersion defines the versioned schema of this representation of an object. Servers should convert recognized schemas to the latest internal value, and may reject unrecognized values.',
                },
                kind: {
                  type: 'string',
                  description:
                    'Kind is a string value representing the REST resource this object represents. Servers may infer this from the endpoint the client submits requests to. In CamelCase.',
                },
                metadata: { type: 'object', description: 'Standard object metadata.' },
                spec: toStructuralSchema(def.spec),
                status: toStructuralSchema(def.status),
              },
            },
          },
        },
      ],
    },
  };
}

/** Every CRD the operator serves, keyed by the file name it is written to. */
export function buildAllCrds(): Map<string, JsonSchema> {
  return new Map(CRD_DEFINITIONS.map((def) => [`${API_GROUP}_${KINDS[def.kind].plural}.yaml`, buildCrd(def)]));
}
