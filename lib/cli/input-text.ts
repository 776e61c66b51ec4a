/**
 * Input as kubectl reads it before it parses anything: the bytes of a file or of standard input, decoded
 * as its file visitor decodes them (golang.org/x/text's `BOMOverride`), and told JSON or YAML as its
 * decoder tells them (apimachinery's `YAMLOrJSONDecoder`), by their content, whatever the file's name.
 */

/** How the CLI names standard input (`check -`) in its report and messages. */
export const STANDARD_INPUT = '<stdin>';

/** What kubectl reads of a file or standard input. */
export interface DecodedText {
  readonly text: string;
  /**
   * After a UTF-8 byte order mark, kubectl passes the bytes on undecoded, and go-yaml refuses any that are
   * not UTF-8; without one, they are decoded as U+FFFD, as here.
   */
  readonly invalidUtf8AfterBom: boolean;
}

/**
 * The text of `bytes`: a UTF-16 byte order mark says UTF-16 (Windows PowerShell 5 writes a `>` redirection
 * so), a UTF-8 one is dropped, anything else is read as UTF-8.
 */
export function decodeText(bytes: Buffer): DecodedText {
  // TextDecoder drops the byte order mark it decodes by.
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return { text: new TextDecoder('utf-16le').decode(bytes), invalidUtf8AfterBom: false };
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return { text: new TextDecoder('utf-16be').decode(bytes), invalidUtf8AfterBom: false };
  const bom = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
  const text = bytes.toString('utf8');
  return { text: bom ? text.slice(1) : text, invalidUtf8AfterBom: bom && !isUtf8(bytes) };
}

function isUtf8(bytes: Buffer): boolean {
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return true;
  } catch {
    return false;
  }
}

// Go's unicode.IsSpace, which kubectl skips before it looks for `{` (JavaScript's \s also takes U+FEFF).
const GO_SPACE = /^[\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]*/;
// kubectl looks at the first 4,096 bytes: white space that fills them makes the input YAML.
const SNIFFED_BYTES = 4_096;

/** Whether kubectl decodes `text` as JSON: its first character other than white space is `{`, within the bytes it looks at. */
export function looksLikeJson(text: string): boolean {
  const space = GO_SPACE.exec(text)![0];
  return text[space.length] === '{' && Buffer.byteLength(space) < SNIFFED_BYTES;
}
