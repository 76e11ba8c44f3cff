/**
 * Which owners refer to which keys (jobs → Secrets, jobs → ProviderConfigs, jobs → provider
 * job IDs), so a change to a referenced object re-queues exactly its users.
 */
export class ReferenceIndex {
  readonly #byRef = new Map<string, Set<string>>();
  readonly #byOwner = new Map<string, string[]>();

  set(owner: string, refs: Iterable<string>): void {
    this.delete(owner);
    const list = [...new Set(refs)];
    this.#byOwner.set(owner, list);
    for (const ref of list) {
      let owners = this.#byRef.get(ref);
      if (!owners) this.#byRef.set(ref, (owners = new Set()));
      owners.add(owner);
    }
  }

  delete(owner: string): void {
    for (const ref of this.#byOwner.get(owner) ?? []) {
      const owners = this.#byRef.get(ref);
      owners?.delete(owner);
      if (owners?.size === 0) this.#byRef.delete(ref);
    }
    this.#byOwner.delete(owner);
  }

  owners(ref: string): string[] {
    return [...(this.#byRef.get(ref) ?? [])];
  }
}
