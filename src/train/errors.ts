/**
 * Bad input to the training engine: an unknown parameter name, a malformed freeze spec, an out-of-range
 * training argument, a gradient whose shape does not match its parameter. The message names the culprit;
 * `field` names the training argument or spec when there is one, so the UI can point at the right input.
 */
export class TrainInputError extends Error {
  readonly code = 'bad-argument';
  readonly field: string | undefined;

  constructor(message: string, field?: string) {
    super(message);
    this.name = 'TrainInputError';
    this.field = field;
  }
}
