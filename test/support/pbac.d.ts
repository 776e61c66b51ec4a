// pbac ships no types: the part of its API the proofs use.
declare module 'pbac' {
  class PBAC {
    constructor(policies: readonly object[]);
    /** Whether the policies allow `action` on `resource` (an explicit Deny wins). */
    evaluate(request: { action: string; resource: string }): boolean;
  }
  export = PBAC;
}
