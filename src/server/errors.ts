/** A client-side mistake: answered with HTTP 400 and this one-line message. */
export class BadRequest extends Error {
  readonly statusCode = 400;
}
