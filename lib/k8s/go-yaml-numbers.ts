/**
 * Numbers as kubectl reads them. kubectl decodes manifests with sigs.k8s.io/yaml, which is go-yaml v2:
 * for a plain scalar that starts with a digit, a sign or a dot it tries Go's integer and float parsers,
 * which know forms YAML 1.1 does not (`0o17`, `0X1F`, `0B1`). Shared by the CLI, which reads manifests
 * as kubectl does, and the in-app checks, which must know what kubectl will read in what cdk8s writes.
 */

// go-yaml v2 removes every `_`, then tries Go's ParseInt with base 0 (0x, 0o, 0b, a leading 0 for
// octal), then its float pattern; a leading dot is tried with Go's ParseFloat, where `_` may only separate digits.
const GO_INT = /^([-+]?)(0[xX][0-9a-fA-F]+|0[oO][0-7]+|0[bB][01]+|0[0-7]*|[1-9][0-9]*)$/;
const GO_FLOAT = /^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$/;
const GO_DOT_FLOAT = /^\.[0-9](_?[0-9])*([eE][-+]?[0-9](_?[0-9])*)?$/;

/**
 * The value go-yaml v2 gives a plain scalar that starts with a digit, a sign or a dot: a number, or the
 * text itself (`1:30`, `2026-01-31`, `1e999`); undefined for an integer JavaScript cannot hold exactly.
 */
export function goYamlNumber(text: string): number | string | undefined {
  if (text.startsWith('.')) return GO_DOT_FLOAT.test(text) ? finiteOr(Number(text.replace(/_/g, '')), text) : text;
  const plain = text.replace(/_/g, '');
  const int = GO_INT.exec(plain);
  if (int) {
    const [, sign, digits] = int;
    const magnitude = BigInt(/^0[0-7]/.test(digits) ? `0o${digits.slice(1)}` : digits);
    if (magnitude > BigInt(Number.MAX_SAFE_INTEGER)) return undefined;
    return sign === '-' ? -Number(magnitude) : Number(magnitude);
  }
  return GO_FLOAT.test(plain) ? finiteOr(Number(plain), text) : text;
}

// Go's ParseFloat fails out of range, and go-yaml then keeps the text.
function finiteOr(value: number, text: string): number | string {
  return Number.isFinite(value) ? value : text;
}
