/** A token the service does not accept; the message is safe to show the caller. */
export class Unauthenticated extends Error {
  override name = 'Unauthenticated';
}
