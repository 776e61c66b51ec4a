/**
 * What CloudFormation expands only when it deploys a template: `Fn::ForEach` (AWS::LanguageExtensions)
 * writes keys, settings and whole resources from a loop, and a macro (`Transform`, `Fn::Transform`,
 * `AWS::Include`) replaces parts of the template with what its code returns, and a module (a resource of
 * a `...::MODULE` type) becomes the resources its registered template holds. The checks read the
 * template as written, so with either nothing in it can be proven: a loop can add a public IP or an
 * open ingress rule under a key no reader looks for.
 */
import { isObject } from './template-values';

// Expands intrinsics in place; the readers take what they cannot resolve as unknown. Any other macro is code.
const READABLE_TRANSFORM = 'AWS::LanguageExtensions';

/**
 * What in a template CloudFormation expands at deploy time, or undefined. Judged on its JSON text, so
 * that a synthesis parses no template for it: `parsed` is asked for only when the text names a Transform.
 */
export function deployTimeExpansion(text: string, parsed: () => unknown): string | undefined {
  if (text.includes('"Fn::ForEach::')) return 'Fn::ForEach (AWS::LanguageExtensions), whose loops write keys and resources';
  if (text.includes('"Fn::Transform"')) return 'Fn::Transform, a macro whose code returns part of the template';
  const module = text.includes('::MODULE"') ? moduleResource(parsed()) : undefined;
  if (module) return `the module ${module}, which CloudFormation expands into the resources of its registered template`;
  if (!text.includes('"Transform"')) return undefined;
  const template = parsed();
  const transform = isObject(template) ? template.Transform : undefined;
  const macros = (Array.isArray(transform) ? transform : transform === undefined ? [] : [transform]).filter((t) => t !== READABLE_TRANSFORM);
  return macros.length > 0 ? `the Transform ${macros.map((t) => JSON.stringify(t)).join(', ')}, a macro whose code rewrites the template` : undefined;
}

/** The first resource of a module type, as `Logical id (Type)`. */
function moduleResource(template: unknown): string | undefined {
  const resources = isObject(template) && isObject(template.Resources) ? template.Resources : {};
  const found = Object.entries(resources).find(([, r]) => isObject(r) && typeof r.Type === 'string' && r.Type.endsWith('::MODULE'));
  return found ? `${found[0]} (${String((found[1] as { Type: string }).Type)})` : undefined;
}

/** The fix every message about an expansion gives. */
export const EXPANSION_FIX = 'write what it would produce in the CDK app instead (a loop in code, an L1 construct), so that what deploys can be judged';
