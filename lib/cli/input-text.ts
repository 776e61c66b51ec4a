/**
 * Input as kubectl reads it before it parses anything: the bytes of a file or of standard input, decoded
 * as its file visitor decodes them (golang.org/x/text's `BOMOverride`).
 */

/** How the CLI names standard input (`check -`) in its report and messages. */
export const STANDARD_INPUT = '<stdin>';

/**
 * The text of `bytes`: a UTF-16 byte order mark says UTF-16 (Windows PowerShell 5 writes a `>` redirection
 * so), a UTF-8 one is dropped, anything else is read as UTF-8.
 */
export function decodeText(bytes: Buffer): string {
  // TextDecoder drops the byte order mark it decodes by.
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return new TextDecoder('utf-16le').decode(bytes);
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return new TextDecoder('utf-16be').decode(bytes);
  const text = bytes.toString('utf8');
  return text.startsWith('\ufeff') ? text.slice(1) : text;
}

/** Whether kubectl decodes standard input as JSON: its first character other than white space is `{`. */
export function looksLikeJson(text: string): boolean {
  return /^\s*\{/.test(text);
}
