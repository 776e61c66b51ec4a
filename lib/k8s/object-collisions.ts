/**
 * Objects of the app that may replace one another, so that what was checked is not what runs: two with one
 * kind and name in a namespace that may be the same (twins: `kubectl apply` keeps the one it applies last),
 * and two that cdk8s writes to one file (a file per resource is named by kind and name alone: the one
 * written last stays). A SecureService names both for its own objects: twins in one output (one chart and
 * the charts nested in it, or the app written as one file) are applied together, an error no exemption
 * covers; in other charts, which may go to other clusters or namespaces (one chart per environment), a
 * warning; one file, always an error. ChartChecks names only files (its readers judge twins as either).
 */
import { ApiObject, App, Chart, YamlOutputType } from 'cdk8s';
import { IConstruct } from 'constructs';
import { AppObjects } from './app-objects';
import { Json, objectName } from './objects';
import { outputFileName } from './output-files';

/** Which objects another of the app may replace, among `objects`: the twins and the files of each, errors and warnings. */
export function collisionProblems(objects: readonly ApiObject[], app: AppObjects): { errors: string[]; warnings: string[] } {
  const errors: string[] = [];
  const warnings: string[] = [];
  for (const object of objects) {
    const twins = app.twinsOf(object);
    for (const twin of twins) {
      const written = `${objectName(app.json(object) as Json)} at ${object.node.path} is written again at ${twin.location}`;
      if (inOneOutput(object, twin.apiObject)) {
        errors.push(`${written}: kubectl apply keeps only the one it applies last, so the other may replace it; give one of them another name or namespace`);
      } else {
        warnings.push(`${written}, another chart: applied to one namespace of one cluster, the one applied last replaces the other; give one of them another name or namespace`);
      }
    }
    const others = app.sameFileAs(object).filter((other) => !twins.some((twin) => twin.apiObject === other));
    errors.push(...others.map((other) => sameFileProblem(object, other, app)));
  }
  return { errors, warnings };
}

/**
 * The objects among `objects` that another of the app is written over or under (a file per resource),
 * each pair named once. Pairs with an object in `namedElsewhere` (a SecureService's own, which the service names) are left out.
 */
export function sameFileProblems(objects: readonly ApiObject[], app: AppObjects, namedElsewhere: ReadonlySet<IConstruct>): string[] {
  const named = new Set<string>();
  return objects.flatMap((object) => app.sameFileAs(object).flatMap((other) => {
    // A pair both of whose objects are among `objects` is found from each.
    const pair = [object.node.path, other.node.path].sort().join('\0');
    if (namedElsewhere.has(other) || named.has(pair)) return [];
    named.add(pair);
    return [sameFileProblem(object, other, app)];
  }));
}

function sameFileProblem(object: ApiObject, other: ApiObject, app: AppObjects): string {
  return `${objectName(app.json(object) as Json)} at ${object.node.path} and ${objectName(app.json(other) as Json)} at ${other.node.path} are written to one file, `
    + `${outputFileName(object, app.json)} (a file per resource is named by kind and name alone): the one written last replaces the other; give one of them another name`;
}

// Whether cdk8s writes both into one file: the same outermost chart, or an app written as one file.
function inOneOutput(a: IConstruct, b: IConstruct): boolean {
  const app = a.node.root as Partial<App>;
  return app.yamlOutputType === YamlOutputType.FILE_PER_APP || outermostChart(a) === outermostChart(b);
}

function outermostChart(construct: IConstruct): IConstruct | undefined {
  let outermost: IConstruct | undefined;
  for (let scope: IConstruct | undefined = construct; scope; scope = scope.node.scope) if (Chart.isChart(scope)) outermost = scope;
  return outermost;
}
