// Events: core/v1 Event and events.k8s.io/v1 Event are two views of one
// storage (the apiserver converts between them), each with its own field
// names, field selectors and creation rules.
import { builtinResource } from './builtin-resource.ts';
import { fieldErrors, type FieldError } from './field-errors.ts';
import { isDNS1123Subdomain, type NameValidator } from './metadata-validation.ts';
import type { ResourceType } from './resource-types.ts';
import type { JSONSchemaProps } from './schema.ts';
import type { KubeObject } from './store.ts';
import { builtinTable } from './table.ts';

const microTime: JSONSchemaProps = { type: 'string', format: 'date-time', 'x-micro-time': true };

const objectReference: JSONSchemaProps = {
  type: 'object',
  properties: {
    kind: { type: 'string' },
    namespace: { type: 'string' },
    name: { type: 'string' },
    uid: { type: 'string' },
    apiVersion: { type: 'string' },
    resourceVersion: { type: 'string' },
    fieldPath: { type: 'string' },
  },
};

/** path.ValidatePathSegmentName: the only name rule legacy events have. */
const pathSegmentName: NameValidator = (name, prefix) => {
  const errs: string[] = [];
  if (!prefix && (name === '.' || name === '..')) errs.push(`may not be '${name}'`);
  if (name.includes('/')) errs.push("may not contain '/'");
  if (name.includes('%')) errs.push("may not contain '%'");
  return errs;
};

const eventCoreSchema: JSONSchemaProps = {
  type: 'object',
  properties: {
    involvedObject: objectReference,
    reason: { type: 'string' },
    message: { type: 'string' },
    source: { type: 'object', properties: { component: { type: 'string' }, host: { type: 'string' } } },
    firstTimestamp: { type: 'string', format: 'date-time' },
    lastTimestamp: { type: 'string', format: 'date-time' },
    count: { type: 'integer', format: 'int32' },
    type: { type: 'string' },
    eventTime: microTime,
    series: { type: 'object', properties: { count: { type: 'integer', format: 'int32' }, lastObservedTime: microTime } },
    action: { type: 'string' },
    related: objectReference,
    reportingComponent: { type: 'string' },
    reportingInstance: { type: 'string' },
  },
};

/** legacyValidateEvent for requests through core/v1 (the events.k8s.io API adds stricter rules). */
function validateEvent(obj: KubeObject, reportingControllerField: string): FieldError[] {
  const errs: FieldError[] = [];
  const ns = obj.metadata?.namespace ?? '';
  const involvedNs = obj.involvedObject?.namespace ?? '';
  if (!obj.eventTime) {
    if (!involvedNs) {
      if (ns !== '' && ns !== 'default') errs.push(fieldErrors.invalid('involvedObject.namespace', involvedNs, 'does not match event.namespace'));
    } else if (ns !== involvedNs) {
      errs.push(fieldErrors.invalid('involvedObject.namespace', involvedNs, 'does not match event.namespace'));
    }
  } else {
    if (!involvedNs && ns !== 'default' && ns !== 'kube-system') {
      errs.push(fieldErrors.invalid('involvedObject.namespace', involvedNs, 'does not match event.namespace'));
    }
    if (!obj.reportingComponent) errs.push(fieldErrors.required(reportingControllerField));
    if (!obj.reportingInstance) errs.push(fieldErrors.required('reportingInstance'));
    else if (String(obj.reportingInstance).length > 128) errs.push(fieldErrors.invalid('reportingInstance', '', 'can have at most 128 characters'));
    if (!obj.action) errs.push(fieldErrors.required('action'));
    else if (String(obj.action).length > 128) errs.push(fieldErrors.invalid('action', '', 'can have at most 128 characters'));
    if (!obj.reason) errs.push(fieldErrors.required('reason'));
    else if (String(obj.reason).length > 128) errs.push(fieldErrors.invalid('reason', '', 'can have at most 128 characters'));
    if (String(obj.message ?? '').length > 1024) errs.push(fieldErrors.invalid('message', '', 'can have at most 1024 characters'));
  }
  for (const msg of isDNS1123Subdomain(ns)) errs.push(fieldErrors.invalid('namespace', ns, msg));
  return errs;
}

const eventFields: Record<string, (obj: KubeObject) => string> = {
  'involvedObject.kind': (o) => o.involvedObject?.kind ?? '',
  'involvedObject.namespace': (o) => o.involvedObject?.namespace ?? '',
  'involvedObject.name': (o) => o.involvedObject?.name ?? '',
  'involvedObject.uid': (o) => o.involvedObject?.uid ?? '',
  'involvedObject.apiVersion': (o) => o.involvedObject?.apiVersion ?? '',
  'involvedObject.resourceVersion': (o) => o.involvedObject?.resourceVersion ?? '',
  'involvedObject.fieldPath': (o) => o.involvedObject?.fieldPath ?? '',
  reason: (o) => o.reason ?? '',
  reportingComponent: (o) => o.reportingComponent ?? '',
  source: (o) => o.source?.component ?? '',
  type: (o) => o.type ?? '',
};

const eventTable = builtinTable([
  { column: { name: 'Type', type: 'string', description: 'Type of this event (Normal, Warning), new types could be added in the future.' }, cell: (o) => o.type ?? '' },
  { column: { name: 'Reason', type: 'string', description: 'The reason for this event.' }, cell: (o) => o.reason ?? '' },
  {
    column: { name: 'Object', type: 'string', description: 'The object that this event is about.' },
    cell: (o) => `${String(o.involvedObject?.kind ?? '').toLowerCase()}/${o.involvedObject?.name ?? ''}`,
  },
  { column: { name: 'Message', type: 'string', description: 'A human-readable description of the status of this operation.' }, cell: (o) => o.message ?? '' },
]);

export function coreEvents(): ResourceType {
  return builtinResource({
    group: '',
    version: 'v1',
    plural: 'events',
    singular: 'event',
    kind: 'Event',
    namespaced: true,
    shortNames: ['ev'],
    storageKey: 'core/events',
    schema: eventCoreSchema,
    allowCreateOnUpdate: true,
    nameValidator: pathSegmentName,
    fields: eventFields,
    table: eventTable,
    validate: (obj) => validateEvent(obj, 'reportingComponent'),
  });
}

/** events.k8s.io/v1 names for the core Event fields (both APIs read and write one storage). */
const EVENTS_V1_RENAMES: [string, string][] = [
  ['regarding', 'involvedObject'],
  ['note', 'message'],
  ['reportingController', 'reportingComponent'],
  ['deprecatedSource', 'source'],
  ['deprecatedFirstTimestamp', 'firstTimestamp'],
  ['deprecatedLastTimestamp', 'lastTimestamp'],
  ['deprecatedCount', 'count'],
];

function renameFields(obj: KubeObject, pairs: [string, string][]): KubeObject {
  const out: KubeObject = { ...obj };
  for (const [from, to] of pairs) {
    if (Object.hasOwn(out, from)) {
      out[to] = out[from];
      delete out[from];
    }
  }
  return out;
}

export function eventsV1(): ResourceType {
  const base = coreEvents();
  const schema: JSONSchemaProps = {
    type: 'object',
    properties: {
      eventTime: microTime,
      series: eventCoreSchema.properties?.series as JSONSchemaProps,
      reportingController: { type: 'string' },
      reportingInstance: { type: 'string' },
      action: { type: 'string' },
      reason: { type: 'string' },
      regarding: objectReference,
      related: objectReference,
      note: { type: 'string' },
      type: { type: 'string' },
      deprecatedSource: { type: 'object', properties: { component: { type: 'string' }, host: { type: 'string' } } },
      deprecatedFirstTimestamp: { type: 'string', format: 'date-time' },
      deprecatedLastTimestamp: { type: 'string', format: 'date-time' },
      deprecatedCount: { type: 'integer', format: 'int32' },
    },
  };
  const fields: Record<string, (obj: KubeObject) => string> = {};
  for (const [label, get] of Object.entries(eventFields)) {
    const renamed = label.replace(/^involvedObject\./, 'regarding.').replace(/^reportingComponent$/, 'reportingController').replace(/^source$/, 'deprecatedSource');
    fields[renamed] = (obj) => get(renameFields(obj, EVENTS_V1_RENAMES));
  }
  const strictRules = (obj: KubeObject): FieldError[] => {
    const core = renameFields(obj, EVENTS_V1_RENAMES);
    const errs = validateEvent(core, 'reportingController').map((e) => ({
      ...e,
      field: e.field.replace(/^involvedObject\./, 'regarding.').replace(/^message$/, 'note'),
    }));
    if (!core.eventTime) errs.push(fieldErrors.required('eventTime'));
    if (core.type !== 'Normal' && core.type !== 'Warning') errs.push(fieldErrors.invalid('type', '', `has invalid value: ${core.type ?? ''}`));
    if (core.firstTimestamp) errs.push(fieldErrors.invalid('deprecatedFirstTimestamp', '', 'needs to be unset'));
    if (core.lastTimestamp) errs.push(fieldErrors.invalid('deprecatedLastTimestamp', '', 'needs to be unset'));
    if (core.count) errs.push(fieldErrors.invalid('deprecatedCount', '', 'needs to be unset'));
    if (core.source?.component || core.source?.host) errs.push(fieldErrors.invalid('deprecatedSource', '', 'needs to be unset'));
    return errs;
  };
  return builtinResource({
    group: 'events.k8s.io',
    version: 'v1',
    plural: 'events',
    singular: 'event',
    kind: 'Event',
    namespaced: true,
    shortNames: ['ev'],
    storageKey: base.storageKey,
    schema,
    allowCreateOnUpdate: true,
    nameValidator: pathSegmentName,
    fields,
    table: builtinTable([
      { column: { name: 'Type', type: 'string', description: 'Type of this event.' }, cell: (o) => o.type ?? '' },
      { column: { name: 'Reason', type: 'string', description: 'The reason for this event.' }, cell: (o) => o.reason ?? '' },
      {
        column: { name: 'Object', type: 'string', description: 'The object that this event is about.' },
        cell: (o) => `${String(o.regarding?.kind ?? '').toLowerCase()}/${o.regarding?.name ?? ''}`,
      },
      { column: { name: 'Note', type: 'string', description: 'A human-readable description of the status of this operation.' }, cell: (o) => o.note ?? '' },
    ]),
    validate: strictRules,
    validateUpdate: (obj) => validateEvent(renameFields(obj, EVENTS_V1_RENAMES), 'reportingController'),
    toStorage: (obj) => ({ ...renameFields(obj, EVENTS_V1_RENAMES), apiVersion: 'v1', kind: 'Event' }),
    fromStorage: (obj) => {
      const reverse = EVENTS_V1_RENAMES.map(([a, b]) => [b, a] as [string, string]);
      const out = renameFields(obj, reverse);
      if (out.eventTime === undefined) out.eventTime = null;
      return out;
    },
  });
}
