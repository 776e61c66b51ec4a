/**
 * Which objects cdk8s writes to one file. With a file per resource (`yamlOutputType` FILE_PER_RESOURCE,
 * or FOLDER_PER_CHART_FILE_PER_RESOURCE within a chart's folder) the file is named `<kind>.<name>` alone,
 * without namespace or API group: two such objects overwrite each other, and only the one written last is applied.
 */
import { ApiObject, App, Chart, YamlOutputType } from 'cdk8s';
import { IConstruct } from 'constructs';
import { isRecord } from './objects';

/** For an object, the others of the app that cdk8s writes to its file; none unless the app writes a file per resource. */
export function sameFileFinder(constructs: readonly IConstruct[], json: (object: ApiObject) => unknown): (object: ApiObject) => readonly ApiObject[] {
  const type = constructs.length > 0 ? (constructs[0].node.root as Partial<App>).yamlOutputType : undefined;
  if (type !== YamlOutputType.FILE_PER_RESOURCE && type !== YamlOutputType.FOLDER_PER_CHART_FILE_PER_RESOURCE) return () => [];
  // Each chart writes its own objects (those whose nearest chart it is), into its own folder with FOLDER_PER_CHART.
  const folderOf = (object: ApiObject) => (type === YamlOutputType.FOLDER_PER_CHART_FILE_PER_RESOURCE ? Chart.of(object) : undefined);
  const byFile = new Map<string, ApiObject[]>();
  for (const construct of constructs) {
    if (!ApiObject.isApiObject(construct)) continue;
    const file = outputFileName(construct, json);
    if (file !== undefined) (byFile.get(file) ?? byFile.set(file, []).get(file)!).push(construct);
  }
  return (object) => {
    const file = outputFileName(object, json);
    return file === undefined ? [] : (byFile.get(file) ?? []).filter((other) => other !== object && folderOf(other) === folderOf(object));
  };
}

/**
 * The name cdk8s gives an object's file, before its extension, as App.synth builds it: from the rendered
 * object with a file per resource, but from the ApiObject's own kind and name with a folder per chart, so
 * that there a JSON patch that renames an object does not rename its file.
 */
export function outputFileName(object: ApiObject, json: (object: ApiObject) => unknown): string | undefined {
  const type = (object.node.root as Partial<App>).yamlOutputType;
  if (type === YamlOutputType.FOLDER_PER_CHART_FILE_PER_RESOURCE) return fileName({ kind: object.kind, metadata: { name: object.metadata.name } });
  return fileName(json(object));
}

/** The name of the file of a rendered object (`kind` and `metadata.name`), before its extension. */
function fileName(rendered: unknown): string | undefined {
  if (!isRecord(rendered)) return undefined;
  const name = isRecord(rendered.metadata) ? rendered.metadata.name : undefined;
  return `${rendered.kind}.${name}`.replace(/[^0-9a-zA-Z-_.]/g, '');
}
