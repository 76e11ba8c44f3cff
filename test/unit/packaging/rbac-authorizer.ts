import type { Manifest } from './helm.ts';

/**
 * Kubernetes RBAC evaluation over rendered manifests, for one ServiceAccount: which requests
 * its (Cluster)Role(Binding)s allow, and the full list of what they grant. Follows the
 * apiserver's rules: a ClusterRoleBinding grants everywhere; a RoleBinding grants only in its
 * namespace and only namespaced resources; resourceNames never match create or collection verbs.
 */

export interface ResourceRequest {
  verb: string;
  group: string;
  resource: string;
  subresource?: string;
  /** Undefined for cluster-scoped objects and for list/watch across all namespaces. */
  namespace?: string;
  name?: string;
}

interface PolicyRule {
  apiGroups?: string[];
  resources?: string[];
  verbs: string[];
  resourceNames?: string[];
  nonResourceURLs?: string[];
}

/** One (verb, resource) a binding grants, with where and on which names. */
export interface Grant {
  /** `*` for cluster-wide (ClusterRoleBinding), else the RoleBinding's namespace. */
  scope: string;
  verb: string;
  group: string;
  /** `resource` or `resource/subresource`. */
  resource: string;
  resourceNames?: string[];
}

export class RbacAuthorizer {
  readonly grants: Grant[] = [];

  constructor(manifests: Manifest[], subject: { namespace: string; name: string }) {
    const roles = new Map<string, PolicyRule[]>();
    for (const m of manifests) {
      if (m.kind === 'ClusterRole') roles.set(`ClusterRole/${m.metadata.name}`, m.rules ?? []);
      if (m.kind === 'Role') roles.set(`Role/${m.metadata.namespace}/${m.metadata.name}`, m.rules ?? []);
    }
    for (const binding of manifests.filter((m) => m.kind === 'ClusterRoleBinding' || m.kind === 'RoleBinding')) {
      const bindsSubject = (binding.subjects ?? []).some(
        (s: { kind: string; name: string; namespace?: string }) => s.kind === 'ServiceAccount' && s.name === subject.name && s.namespace === subject.namespace,
      );
      if (!bindsSubject) continue;
      const ref = binding.roleRef as { kind: string; name: string };
      const key = ref.kind === 'ClusterRole' ? `ClusterRole/${ref.name}` : `Role/${binding.metadata.namespace}/${ref.name}`;
      const rules = roles.get(key);
      if (!rules) throw new Error(`${binding.kind} ${binding.metadata.name} refers to ${key}, which the chart does not render`);
      const scope = binding.kind === 'ClusterRoleBinding' ? '*' : (binding.metadata.namespace as string);
      for (const rule of rules) {
        if (rule.nonResourceURLs) throw new Error(`unexpected nonResourceURLs rule in ${key}`);
        for (const group of rule.apiGroups ?? []) {
          for (const resource of rule.resources ?? []) {
            for (const verb of rule.verbs) {
              this.grants.push({ scope, verb, group, resource, ...(rule.resourceNames?.length ? { resourceNames: rule.resourceNames } : {}) });
            }
          }
        }
      }
    }
  }

  /** The grants that allow this request (empty: the apiserver would answer 403). */
  grantsFor(request: ResourceRequest): Grant[] {
    const resource = request.subresource ? `${request.resource}/${request.subresource}` : request.resource;
    return this.grants.filter((g) => {
      if (g.scope !== '*' && g.scope !== request.namespace) return false;
      if (g.verb !== request.verb && g.verb !== '*') return false;
      if (g.group !== request.group && g.group !== '*') return false;
      if (g.resource !== resource && g.resource !== '*') return false;
      if (g.resourceNames) return request.name !== undefined && g.resourceNames.includes(request.name);
      return true;
    });
  }

  allows(request: ResourceRequest): boolean {
    return this.grantsFor(request).length > 0;
  }
}

export const describeGrant = (g: Grant) =>
  `${g.verb} ${g.group || 'core'}/${g.resource}${g.resourceNames ? `[${g.resourceNames.join(',')}]` : ''} in ${g.scope === '*' ? 'all namespaces' : g.scope}`;

export const describeRequest = (r: ResourceRequest) =>
  `${r.verb} ${r.group || 'core'}/${r.resource}${r.subresource ? `/${r.subresource}` : ''}${r.name ? ` ${r.name}` : ''} in ${r.namespace ?? 'cluster scope'}`;
