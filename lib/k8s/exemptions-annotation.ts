import { Exemption, isPlainObject, recordedExemption } from '../core';

/** The annotation that records exemptions on a workload and on its pod template. */
export const EXEMPTIONS_ANNOTATION = 'secure-service.dev/exemptions';

/** The annotation value for `exemptions`: a JSON list of control, justification, expires, ticket, container. */
export function exemptionsAnnotationValue(exemptions: readonly Exemption[]): string {
  return JSON.stringify(exemptions.map(recordedExemption));
}

/** Exemptions read back from an annotation, and why some could not be read. */
export interface RecordedExemptions {
  readonly exemptions: readonly Exemption[];
  readonly problems: readonly string[];
}

/**
 * Reads the exemptions recorded on an object and its pod template (each may carry the annotation;
 * the union counts, duplicates once). Entries that are not objects are problems, not exemptions;
 * the fields of the others are judged by `assessWorkload` like any exemption. With `onEvery`, an
 * exemption that one of the annotation sets does not record is a problem too.
 */
export function readRecordedExemptions(
  objectName: string,
  annotationSets: readonly { readonly annotations: unknown; readonly at: string }[],
  onEvery = false,
): RecordedExemptions {
  const exemptions: Exemption[] = [];
  const problems: string[] = [];
  /** Each exemption (as recorded) → the annotation sets that record it. */
  const recordedAt = new Map<string, string[]>();
  for (const { annotations, at } of annotationSets) {
    const raw = isPlainObject(annotations) ? annotations[EXEMPTIONS_ANNOTATION] : undefined;
    if (raw === undefined) continue;
    const label = `annotation ${EXEMPTIONS_ANNOTATION} on ${objectName} (${at})`;
    let parsed: unknown;
    try {
      parsed = typeof raw === 'string' ? JSON.parse(raw) : raw;
    } catch {
      problems.push(`${label} must be a JSON list of exemptions, found: ${JSON.stringify(raw)}; write e.g. [{"control":"READ_ONLY_ROOT_FILESYSTEM","justification":"..."}]`);
      continue;
    }
    if (!Array.isArray(parsed)) {
      problems.push(`${label} must be a JSON list of exemptions, found: ${JSON.stringify(raw)}; wrap the exemption in [ ]`);
      continue;
    }
    parsed.forEach((entry, index) => {
      if (!isPlainObject(entry)) {
        problems.push(`${label}[${index}] must be an object with control and justification, found: ${JSON.stringify(entry)}`);
        return;
      }
      const key = JSON.stringify(recordedExemption(entry as unknown as Exemption));
      const sets = recordedAt.get(key);
      if (sets) {
        if (!sets.includes(at)) sets.push(at);
        return;
      }
      recordedAt.set(key, [at]);
      exemptions.push(entry as unknown as Exemption);
    });
  }
  if (onEvery) problems.push(...recordsMissing(objectName, annotationSets.map((s) => s.at), recordedAt));
  return { exemptions, problems };
}

/** One problem per exemption that some of the annotation sets `every` do not record. */
function recordsMissing(objectName: string, every: readonly string[], recordedAt: ReadonlyMap<string, readonly string[]>): string[] {
  const problems: string[] = [];
  for (const [exemption, sets] of recordedAt) {
    const missing = every.filter((at) => !sets.includes(at));
    if (missing.length === 0) continue;
    problems.push(`${objectName}: the exemption ${exemption} is recorded in ${sets.join(' and ')} but not in ${missing.join(' and ')} `
      + `(annotation ${EXEMPTIONS_ANNOTATION}); a SecureService records each exemption on the workload and on its pod template, `
      + 'so the record of the pods matches the record of the workload: remove the patch that changed one of them');
  }
  return problems;
}
