/** Raised while compiling a template; messages match Python textfsm's TextFSMTemplateError. */
export class TextFsmTemplateError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TextFSMTemplateError';
  }
}

/** Raised while parsing text, by an `Error` action; messages match Python textfsm's TextFSMError. */
export class TextFsmError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TextFSMError';
  }
}

/** Raised by the CliTable index lookup (Python clitable's CliTableError / IndexTableError). */
export class CliTableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CliTableError';
  }
}
