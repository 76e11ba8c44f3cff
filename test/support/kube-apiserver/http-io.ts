// Content negotiation and body I/O the way the apiserver does it: Accept
// ranges pick JSON, YAML, a meta.k8s.io Table or PartialObjectMetadata;
// request bodies are JSON, YAML or (for a few built-ins) Kubernetes protobuf.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { parse as parseYaml, stringify as stringifyYaml } from 'yaml';
import { decodeKubernetesProtobuf } from './protobuf.ts';
import { ApiError, badRequest, notAcceptable } from './status.ts';

export interface MediaRange {
  type: string;
  params: Record<string, string>;
}

export function parseAccept(header: string | undefined): MediaRange[] {
  if (!header) return [];
  return header.split(',').map((part) => {
    const [type = '', ...params] = part.split(';').map((p) => p.trim());
    const parsed: Record<string, string> = {};
    for (const p of params) {
      const [k, v] = p.split('=');
      if (k && v !== undefined) parsed[k.trim()] = v.trim();
    }
    return { type: type.toLowerCase(), params: parsed };
  });
}

export type ResponseForm =
  | { kind: 'plain'; yaml: boolean }
  | { kind: 'table'; apiVersion: string }
  | { kind: 'partial'; apiVersion: string };

/** Picks the first acceptable representation, as the apiserver's negotiation does. */
export function negotiate(accept: string | undefined): ResponseForm {
  const ranges = parseAccept(accept);
  if (ranges.length === 0) return { kind: 'plain', yaml: false };
  for (const r of ranges) {
    const jsonLike = r.type === 'application/json' || r.type === 'application/yaml' || r.type === '*/*' || r.type === 'application/*';
    if (!jsonLike) continue;
    const as = r.params.as;
    if (as === 'Table' && r.params.g === 'meta.k8s.io' && (r.params.v === 'v1' || r.params.v === 'v1beta1')) {
      return { kind: 'table', apiVersion: `meta.k8s.io/${r.params.v}` };
    }
    if ((as === 'PartialObjectMetadata' || as === 'PartialObjectMetadataList') && r.params.g === 'meta.k8s.io') {
      return { kind: 'partial', apiVersion: `meta.k8s.io/${r.params.v ?? 'v1'}` };
    }
    if (as) continue;
    return { kind: 'plain', yaml: r.type === 'application/yaml' };
  }
  throw notAcceptable(['application/json', 'application/yaml']);
}

export function send(res: ServerResponse, code: number, body: unknown, headers: Record<string, string | string[]> = {}, yaml = false): void {
  if (res.headersSent) {
    res.end();
    return;
  }
  const text = yaml ? stringifyYaml(body) : JSON.stringify(body);
  res.writeHead(code, { 'Content-Type': yaml ? 'application/yaml' : 'application/json', 'Cache-Control': 'no-cache, private', ...headers });
  res.end(yaml ? text : `${text}\n`);
}

export function sendStatus(res: ServerResponse, error: ApiError): void {
  send(res, error.code, error.status, error.headers);
}

export function warningHeaders(warnings: readonly string[]): Record<string, string[]> {
  if (warnings.length === 0) return {};
  return { Warning: warnings.map((w) => `299 - ${JSON.stringify(w)}`) };
}

export async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

export function parseBody(body: Buffer, contentType: string): unknown {
  const type = contentType.split(';')[0]?.trim().toLowerCase() ?? '';
  if (type === 'application/vnd.kubernetes.protobuf' && body.length > 0) return decodeKubernetesProtobuf(body);
  const text = body.toString('utf8');
  if (text.trim() === '') return undefined;
  try {
    if (type === 'application/yaml' || type === 'application/apply-patch+yaml') return parseYaml(text);
    return JSON.parse(text);
  } catch (e) {
    throw badRequest(`couldn't get version/kind; json parse error: ${e instanceof Error ? e.message : String(e)}`);
  }
}
