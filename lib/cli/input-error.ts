import { UnreadInput, describeUnreadInput } from '../core';

/** Input that cannot be read: the CLI exits with 2 and this message, which names the file (and line). */
export class InputError extends Error {
  /** The input that cannot be read, as the report lists it. */
  public static unread(input: UnreadInput): InputError {
    return new InputError(describeUnreadInput(input), input);
  }

  /** @param input - the file (and line) the message is about, when it is about one */
  public constructor(message: string, public readonly input?: UnreadInput) {
    super(message);
  }
}
