/** A problem the person who clicked or typed can fix; its message is shown to them, ephemerally, as is. */
export class UserError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UserError';
  }
}
