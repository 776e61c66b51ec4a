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
 * the fields of the others are judged by `assessWorkload` like any exemption.
 */
export function readRecordedExemptions(
  objectName: string,
  annotationSets: readonly { readonly annotations: unknown; readonly at: string }[],
): RecordedExemptions {
  const exemptions: Exemption[] = [];
  const problems: string[] = [];
  const seen = new Set<string>();
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
      if (seen.has(key)) return;
      seen.add(key);
      exemptions.push(entry as unknown as Exemption);
    });
  }
  return { exemptions, problems };
}

