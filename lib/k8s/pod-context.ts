/**
 * Which of an app's objects can change how a workload's pods are read: its NetworkPolicies,
 * ServiceAccount, Services (and ExternalName Services naming them), the Ingresses and Gateway API
 * routes to those, and its ConfigMaps.
 */
import { CONTROLLER_LABEL_KEYS, podLabels } from './controller-labels';
import { envConfigMapNames } from './environment-reading';
import { aliases, externalNameTarget, ingressBackends, serviceSelects } from './exposure';
import { backendIs, isRoute, routeBackends } from './gateway-routes';
import { Json, asRecord, isRecord, namespaceOf } from './objects';
import { ClaimToBind, claimNames, hostSource, mayBind, namedClaim, templateClaims } from './persistent-volumes';
import { isPodBearing, podTemplate } from './pod-templates';
import { LabelSelectorJson, sameNamespace, selectorMatch } from './selectors';
import { isTokenSecret, secretUses } from './service-account-token';

/**
 * Finds, among `objects`, those that can change how the pods of a workload are read: NetworkPolicies
 * that select them, the ServiceAccount they run as, Services that select them, Ingresses and Gateway
 * API routes to those Services, the ConfigMaps its containers take variables from, the ServiceAccount
 * token Secrets they use, and the claims its volumes name with the PersistentVolumes any claim may bind: the same
 * matching as `readWorkloads`, without judging the rest. Indexed by label and name, so a caller with
 * many workloads passes each only its own context instead of comparing every workload with every other
 * object. Returns positions in `objects`, ascending.
 * @internal
 */
export function podContextFinder(objects: readonly unknown[]): (workload: unknown) => number[] {
  const policies = new PairIndex();
  const services = new PairIndex();
  const accounts = new ValueIndex();
  const configMaps = new ValueIndex();
  const tokenSecrets = new ValueIndex();
  const claims = new ValueIndex();
  const volumesByName = new ValueIndex();
  const volumesByClaim = new ValueIndex();
  /** PersistentVolumes of the node's filesystem: a claim may be bound to one by its storage class, whatever its name. */
  const hostVolumes: number[] = [];
  const routersTo = new ValueIndex();
  /** ExternalName Services, by the name of the Service they name. */
  const aliasesOf = new ValueIndex();
  /** NetworkPolicies without matchLabels but those a controller sets: they may select any pods. */
  const anyPodPolicies: number[] = [];
  /** Services selecting only by labels a controller sets. */
  const anyPodServices: number[] = [];
  /** NetworkPolicies by name, for the twins of those that select the pods (the reader judges which one kubectl keeps). */
  const policiesByName = new ValueIndex();
  let policyNamesRepeat = false;
  objects.forEach((object, index) => {
    if (!isRecord(object)) return;
    if (object.kind === 'ServiceAccount') {
      accounts.add(object.metadata?.name, index);
    } else if (object.kind === 'NetworkPolicy') {
      policyNamesRepeat ||= policiesByName.get(object.metadata?.name) !== undefined;
      policiesByName.add(object.metadata?.name, index);
      const matchLabels = asRecord(asRecord(asRecord(object.spec).podSelector).matchLabels);
      const key = templateKey(matchLabels);
      // A policy can select the pods only if their template gives them that pair; without one, any pods.
      if (key !== undefined) policies.add(key, matchLabels[key], index);
      else anyPodPolicies.push(index);
    } else if (object.kind === 'Service') {
      const selector = asRecord(asRecord(object.spec).selector);
      const key = templateKey(selector);
      // A Service without a selector selects no pods (its endpoints are managed by hand), but may name one that does.
      if (key !== undefined) services.add(key, selector[key], index);
      else if (Object.keys(selector).length > 0) anyPodServices.push(index);
      const aliased = externalNameTarget(object);
      if (aliased) aliasesOf.add(aliased.name, index);
    } else if (object.kind === 'Ingress') {
      for (const service of new Set(ingressBackends(object).map((b) => b.service))) routersTo.add(service, index);
    } else if (object.kind === 'ConfigMap') {
      configMaps.add(object.metadata?.name, index);
    } else if (isTokenSecret(object)) {
      tokenSecrets.add(object.metadata?.name, index);
    } else if (object.kind === 'PersistentVolumeClaim') {
      claims.add(object.metadata?.name, index);
    } else if (object.kind === 'PersistentVolume') {
      volumesByName.add(object.metadata?.name, index);
      const claimRef = asRecord(asRecord(object.spec).claimRef);
      if (claimRef.name !== undefined) volumesByClaim.add(claimRef.name, index);
      if (hostSource(object) !== undefined) hostVolumes.push(index);
    } else if (isRoute(object)) {
      for (const service of new Set(routeBackends(object).map((b) => b.service))) routersTo.add(service, index);
    }
  });
  const hostVolumesFor = (claim: ClaimToBind) => hostVolumes.filter((i) => mayBind(claim, objects[i] as Json));
  return (workload) => {
    if (!isPodBearing(workload)) return [];
    const namespace = namespaceOf(workload);
    const template = podTemplate(workload);
    const labels = podLabels(workload, template.metadata);
    const accountName = template.spec.serviceAccountName ?? template.spec.serviceAccount ?? 'default';
    // Each policy, account, Service and ConfigMap is in one bucket, so the candidates are distinct.
    const candidates = [...anyPodPolicies, ...anyPodServices];
    for (const key of Object.keys(labels.known)) {
      addAll(candidates, policies.get(key, labels.known[key]));
      addAll(candidates, services.get(key, labels.known[key]));
    }
    addAll(candidates, accounts.get(accountName));
    for (const name of envConfigMapNames(template.spec)) addAll(candidates, configMaps.get(name));
    // Read only when the app holds some: most apps have neither token Secrets nor PersistentVolumes.
    if (!tokenSecrets.isEmpty()) {
      for (const name of new Set(secretUses(template.spec, '').map((use) => use.name))) addAll(candidates, tokenSecrets.get(name));
    }
    for (const name of claims.isEmpty() && volumesByClaim.isEmpty() ? [] : claimNames(template.spec)) {
      const claimed = claims.get(name) ?? [];
      addAll(candidates, claimed);
      addAll(candidates, volumesByClaim.get(name));
      for (const claim of claimed) addAll(candidates, volumesByName.get(asRecord((objects[claim] as Json).spec).volumeName));
      for (const claim of claimed) addAll(candidates, hostVolumesFor(namedClaim(name, namespace, [objects[claim] as Json])));
    }
    for (const claim of hostVolumes.length === 0 ? [] : templateClaims(workload, template.spec)) addAll(candidates, hostVolumesFor(claim));
    const found: number[] = [];
    for (const index of candidates) {
      const other = objects[index] as Json;
      // Cluster-wide, whatever namespace a chart writes on it, and found both by its name and by its claimRef.
      if (other.kind === 'PersistentVolume') {
        if (!found.includes(index)) found.push(index);
        continue;
      }
      if (!sameNamespace(other.metadata?.namespace, namespace)) continue;
      if (other.kind === 'NetworkPolicy') {
        if (selectorMatch(asRecord(other.spec).podSelector as LabelSelectorJson | undefined, labels.known, labels.unknown) === 'no') continue;
        // A twin of a policy found before may be found again.
        if (!found.includes(index)) found.push(index);
        if (policyNamesRepeat) addTwins(objects, policiesByName.get(other.metadata?.name), other, found);
      } else if (other.kind === 'ServiceAccount') {
        if (other.metadata?.name === accountName) found.push(index);
      } else if (other.kind === 'ConfigMap' || other.kind === 'Secret' || other.kind === 'PersistentVolumeClaim') {
        found.push(index);
      } else if (serviceSelects(other, labels)) {
        found.push(index);
        addRouters(objects, routersTo.get(other.metadata?.name), other, found);
        // An ExternalName Service naming this one, and what routes to it, reach the pods too.
        for (const alias of aliasesOf.get(other.metadata?.name) ?? []) {
          if (found.includes(alias) || !aliases(objects[alias] as Json, other)) continue;
          found.push(alias);
          addRouters(objects, routersTo.get((objects[alias] as Json).metadata?.name), objects[alias] as Json, found);
        }
      }
    }
    return found.sort((a, b) => a - b);
  };
}

/*
 * The indexes are keyed by the manifests' own strings, never by strings joined for the lookup: V8
 * keeps a string's hash with the string, so looking up a label or a name already read costs little,
 * where a joined key is a new string to copy and hash at every lookup (a third of this function's
 * time, when it joined them).
 */

/** Positions of objects by one value as text, a name or a label's value: candidates, whose values the caller then compares. */
class ValueIndex {
  private readonly byValue = new Map<string, number[]>();

  public add(value: unknown, index: number): void {
    const key = String(value);
    (this.byValue.get(key) ?? this.byValue.set(key, []).get(key)!).push(index);
  }

  public get(value: unknown): readonly number[] | undefined {
    return this.byValue.get(String(value));
  }

  public isEmpty(): boolean {
    return this.byValue.size === 0;
  }
}

/** Positions of objects by one label pair (key and value): the first of a NetworkPolicy's or Service's selector. */
class PairIndex {
  private readonly byKey = new Map<string, ValueIndex>();

  public add(key: string, value: unknown, index: number): void {
    (this.byKey.get(key) ?? this.byKey.set(key, new ValueIndex()).get(key)!).add(value, index);
  }

  public get(key: string, value: unknown): readonly number[] | undefined {
    return this.byKey.get(key)?.get(value);
  }
}

// The other NetworkPolicies of a found one's name, in a namespace that may be its own.
function addTwins(objects: readonly unknown[], named: readonly number[] | undefined, policy: Json, found: number[]): void {
  for (const twin of named ?? []) {
    const other = objects[twin] as Json;
    if (other !== policy && !found.includes(twin) && sameNamespace(other.metadata?.namespace, policy.metadata?.namespace)) found.push(twin);
  }
}

// One Ingress or route to two Services of the pods is found once.
function addRouters(objects: readonly unknown[], routers: readonly number[] | undefined, service: Json, found: number[]): void {
  for (const router of routers ?? []) {
    if (!found.includes(router) && routesTo(objects[router] as Json, service)) found.push(router);
  }
}

// An Ingress routes to Services of its own namespace; a route's backendRef may name another namespace.
function routesTo(router: Json, service: Json): boolean {
  if (router.kind === 'Ingress') return sameNamespace(router.metadata?.namespace, service.metadata?.namespace);
  return routeBackends(router).some((backend) => backendIs(backend, service));
}

function addAll(into: number[], indices: readonly number[] | undefined): void {
  if (indices) into.push(...indices);
}

// The first key of a selector's pairs that a pod template can give: one a controller sets may have any value.
function templateKey(pairs: Json): string | undefined {
  for (const key of Object.keys(pairs)) if (!CONTROLLER_LABEL_KEYS.has(key)) return key;
  return undefined;
}
