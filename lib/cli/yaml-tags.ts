import { Node, Tags } from 'yaml';

/** Something in a YAML document that the tool that deploys it would read otherwise, or not at all. */
export interface YamlProblem {
  /** Where it is, for its line. */
  readonly node?: Node;
  readonly message: string;
}

/** The tags of a schema's list whose name `keep` accepts (the list also names tags by id, which are left out). */
export function tagsNamed(tags: Tags, keep: (name: string) => boolean): Tags {
  return tags.filter((tag) => typeof tag === 'object' && !Array.isArray(tag) && keep(tag.tag));
}
