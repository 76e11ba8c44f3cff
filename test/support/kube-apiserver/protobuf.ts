// Decoding of Kubernetes protobuf request bodies for the built-in types that
// kubectl's typed commands send that way (`kubectl create secret|configmap|
// namespace` POST `application/vnd.kubernetes.protobuf` and do not fall back
// to JSON on 415). Responses stay JSON, which those clients also accept.
// Wire format: the "k8s\0" magic, then a runtime.Unknown envelope whose `raw`
// field holds the object message (field numbers from k8s.io/api generated.proto).
import { badRequest, unsupportedMediaType } from './status.ts';

type FieldKind = 'string' | 'bytes' | 'bool' | 'int' | 'time' | 'microtime' | 'stringMap' | 'bytesMap' | Descriptor;

interface FieldSpec {
  name: string;
  kind: FieldKind;
  repeated?: boolean;
}

type Descriptor = Record<number, FieldSpec>;

const ownerReference: Descriptor = {
  1: { name: 'kind', kind: 'string' },
  3: { name: 'name', kind: 'string' },
  4: { name: 'uid', kind: 'string' },
  5: { name: 'apiVersion', kind: 'string' },
  6: { name: 'controller', kind: 'bool' },
  7: { name: 'blockOwnerDeletion', kind: 'bool' },
};

const objectMeta: Descriptor = {
  1: { name: 'name', kind: 'string' },
  2: { name: 'generateName', kind: 'string' },
  3: { name: 'namespace', kind: 'string' },
  5: { name: 'uid', kind: 'string' },
  6: { name: 'resourceVersion', kind: 'string' },
  7: { name: 'generation', kind: 'int' },
  8: { name: 'creationTimestamp', kind: 'time' },
  9: { name: 'deletionTimestamp', kind: 'time' },
  10: { name: 'deletionGracePeriodSeconds', kind: 'int' },
  11: { name: 'labels', kind: 'stringMap' },
  12: { name: 'annotations', kind: 'stringMap' },
  13: { name: 'ownerReferences', kind: ownerReference, repeated: true },
  14: { name: 'finalizers', kind: 'string', repeated: true },
};

const objectReference: Descriptor = {
  1: { name: 'kind', kind: 'string' },
  2: { name: 'namespace', kind: 'string' },
  3: { name: 'name', kind: 'string' },
  4: { name: 'uid', kind: 'string' },
  5: { name: 'apiVersion', kind: 'string' },
  6: { name: 'resourceVersion', kind: 'string' },
  7: { name: 'fieldPath', kind: 'string' },
};

/** Messages by apiVersion/kind. */
const TYPES: Record<string, Descriptor> = {
  'v1/Secret': {
    1: { name: 'metadata', kind: objectMeta },
    2: { name: 'data', kind: 'bytesMap' },
    3: { name: 'type', kind: 'string' },
    4: { name: 'stringData', kind: 'stringMap' },
    5: { name: 'immutable', kind: 'bool' },
  },
  'v1/ConfigMap': {
    1: { name: 'metadata', kind: objectMeta },
    2: { name: 'data', kind: 'stringMap' },
    3: { name: 'binaryData', kind: 'bytesMap' },
    4: { name: 'immutable', kind: 'bool' },
  },
  'v1/Namespace': {
    1: { name: 'metadata', kind: objectMeta },
    2: { name: 'spec', kind: { 1: { name: 'finalizers', kind: 'string', repeated: true } } },
    3: { name: 'status', kind: { 1: { name: 'phase', kind: 'string' } } },
  },
  'coordination.k8s.io/v1/Lease': {
    1: { name: 'metadata', kind: objectMeta },
    2: {
      name: 'spec',
      kind: {
        1: { name: 'holderIdentity', kind: 'string' },
        2: { name: 'leaseDurationSeconds', kind: 'int' },
        3: { name: 'acquireTime', kind: 'microtime' },
        4: { name: 'renewTime', kind: 'microtime' },
        5: { name: 'leaseTransitions', kind: 'int' },
        6: { name: 'strategy', kind: 'string' },
        7: { name: 'preferredHolder', kind: 'string' },
      },
    },
  },
  'v1/Event': {
    1: { name: 'metadata', kind: objectMeta },
    2: { name: 'involvedObject', kind: objectReference },
    3: { name: 'reason', kind: 'string' },
    4: { name: 'message', kind: 'string' },
    5: { name: 'source', kind: { 1: { name: 'component', kind: 'string' }, 2: { name: 'host', kind: 'string' } } },
    6: { name: 'firstTimestamp', kind: 'time' },
    7: { name: 'lastTimestamp', kind: 'time' },
    8: { name: 'count', kind: 'int' },
    9: { name: 'type', kind: 'string' },
    10: { name: 'eventTime', kind: 'microtime' },
    12: { name: 'action', kind: 'string' },
    13: { name: 'related', kind: objectReference },
    14: { name: 'reportingComponent', kind: 'string' },
    15: { name: 'reportingInstance', kind: 'string' },
  },
};

class Reader {
  private pos = 0;
  private readonly buf: Uint8Array;
  constructor(buf: Uint8Array) {
    this.buf = buf;
  }
  get done(): boolean {
    return this.pos >= this.buf.length;
  }
  varint(): bigint {
    let result = 0n;
    let shift = 0n;
    for (;;) {
      if (this.pos >= this.buf.length) throw new Error('truncated varint');
      const byte = this.buf[this.pos++] as number;
      result |= BigInt(byte & 0x7f) << shift;
      if ((byte & 0x80) === 0) return result;
      shift += 7n;
    }
  }
  bytes(): Uint8Array {
    const len = Number(this.varint());
    const out = this.buf.subarray(this.pos, this.pos + len);
    this.pos += len;
    return out;
  }
  skip(wireType: number): void {
    if (wireType === 0) this.varint();
    else if (wireType === 1) this.pos += 8;
    else if (wireType === 2) this.bytes();
    else if (wireType === 5) this.pos += 4;
    else throw new Error(`unsupported wire type ${wireType}`);
  }
}

const utf8 = new TextDecoder();
const ZERO_TIME = '1970-01-01T00:00:00Z';
const ZERO_MICROTIME = '1970-01-01T00:00:00.000000Z';

function signed(v: bigint): number {
  return Number(BigInt.asIntN(64, v));
}

function decodeTime(buf: Uint8Array, micro: boolean): string {
  const fields = decodeRaw(buf);
  const seconds = signed((fields.get(1)?.[0] as bigint | undefined) ?? 0n);
  const nanos = signed((fields.get(2)?.[0] as bigint | undefined) ?? 0n);
  const iso = new Date(seconds * 1000).toISOString();
  if (!micro) return iso.replace(/\.\d{3}Z$/, 'Z');
  return `${iso.slice(0, 19)}.${String(Math.floor(nanos / 1000)).padStart(6, '0')}Z`;
}

/** Field number → raw values (bigint for varints, bytes for length-delimited). */
function decodeRaw(buf: Uint8Array): Map<number, (bigint | Uint8Array)[]> {
  const r = new Reader(buf);
  const out = new Map<number, (bigint | Uint8Array)[]>();
  while (!r.done) {
    const tag = Number(r.varint());
    const field = tag >> 3;
    const wire = tag & 7;
    let value: bigint | Uint8Array | undefined;
    if (wire === 0) value = r.varint();
    else if (wire === 2) value = r.bytes();
    else r.skip(wire);
    if (value !== undefined) out.set(field, [...(out.get(field) ?? []), value]);
  }
  return out;
}

function decodeMap(entries: Uint8Array[], bytesValues: boolean): Record<string, string> {
  const out: Record<string, string> = {};
  for (const entry of entries) {
    const f = decodeRaw(entry);
    const key = utf8.decode((f.get(1)?.[0] as Uint8Array | undefined) ?? new Uint8Array());
    const raw = (f.get(2)?.[0] as Uint8Array | undefined) ?? new Uint8Array();
    out[key] = bytesValues ? Buffer.from(raw).toString('base64') : utf8.decode(raw);
  }
  return out;
}

function decodeMessage(buf: Uint8Array, desc: Descriptor): Record<string, unknown> {
  const raw = decodeRaw(buf);
  const out: Record<string, unknown> = {};
  for (const [num, values] of raw) {
    const spec = desc[num];
    if (!spec) continue;
    const one = (v: bigint | Uint8Array): unknown => {
      switch (spec.kind) {
        case 'string':
          return utf8.decode(v as Uint8Array);
        case 'bytes':
          return Buffer.from(v as Uint8Array).toString('base64');
        case 'bool':
          return v !== 0n;
        case 'int':
          return signed(v as bigint);
        case 'time':
          return decodeTime(v as Uint8Array, false);
        case 'microtime':
          return decodeTime(v as Uint8Array, true);
        case 'stringMap':
        case 'bytesMap':
          return undefined;
        default:
          return decodeMessage(v as Uint8Array, spec.kind);
      }
    };
    if (spec.kind === 'stringMap' || spec.kind === 'bytesMap') out[spec.name] = decodeMap(values as Uint8Array[], spec.kind === 'bytesMap');
    else if (spec.repeated) out[spec.name] = values.map(one);
    else {
      // Go marshals zero-valued non-pointer fields; their JSON form omits them (omitempty).
      const value = one(values[values.length - 1] as bigint | Uint8Array);
      if (value === '' || value === ZERO_TIME || value === ZERO_MICROTIME) continue;
      out[spec.name] = value;
    }
  }
  return out;
}

/** Decodes a protobuf request body into the JSON form of the object. */
export function decodeKubernetesProtobuf(body: Uint8Array): Record<string, unknown> {
  const magic = [0x6b, 0x38, 0x73, 0x00];
  if (body.length < 4 || magic.some((b, i) => body[i] !== b)) throw badRequest('provided object is not a protobuf-encoded Kubernetes object');
  try {
    const envelope = decodeRaw(body.subarray(4));
    const typeMeta = decodeRaw((envelope.get(1)?.[0] as Uint8Array | undefined) ?? new Uint8Array());
    const apiVersion = utf8.decode((typeMeta.get(1)?.[0] as Uint8Array | undefined) ?? new Uint8Array());
    const kind = utf8.decode((typeMeta.get(2)?.[0] as Uint8Array | undefined) ?? new Uint8Array());
    const desc = TYPES[`${apiVersion}/${kind}`];
    if (!desc) throw unsupportedMediaType(['application/json', 'application/yaml']);
    const object = decodeMessage((envelope.get(2)?.[0] as Uint8Array | undefined) ?? new Uint8Array(), desc);
    return { apiVersion, kind, ...object };
  } catch (e) {
    if (e instanceof Error && 'status' in e) throw e;
    throw badRequest(`unable to decode protobuf body: ${e instanceof Error ? e.message : String(e)}`);
  }
}
