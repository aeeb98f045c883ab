/** A problem with the harness run itself (not a finding): exit code 2 in the CLI. */
export class HarnessError extends Error {
  constructor(message: string, readonly details?: string) {
    super(message);
    this.name = 'HarnessError';
  }
}
