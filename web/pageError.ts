/** A page that cannot be shown: its status and what to tell the person. */
export class PageError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}
