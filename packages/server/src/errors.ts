/**
 * A refusal as Entra words it: the OAuth `error`, the AADSTS code and its explanation, and the HTTP status of the
 * token endpoint's JSON answer (the authorize endpoint redirects or renders the same facts).
 *
 * @example
 * throw new EntraError('invalid_client', 'AADSTS7000215', 'Invalid client secret provided.', 401);
 */
export class EntraError extends Error {
  override readonly name = 'EntraError';
  constructor(
    readonly error: string,
    readonly aadsts: string,
    readonly description: string,
    readonly status: number = 400,
  ) {
    super(`${aadsts}: ${description}`);
  }
}

/** The request identifiers an Entra error carries. */
export interface ErrorIds {
  readonly traceId: string;
  readonly correlationId: string;
  /** Unix seconds (the injected clock). */
  readonly now: number;
}

/**
 * Entra's timestamp format in errors.
 *
 * @example
 * entraTimestamp(1706702400) // '2024-01-31 12:00:00Z'
 */
export function entraTimestamp(now: number): string {
  return new Date(now * 1000).toISOString().replace('T', ' ').replace(/\.\d{3}Z$/, 'Z');
}

/**
 * The JSON body Entra's token endpoint answers a refusal with: `error`, `error_description` starting with the
 * AADSTS code and ending with the trace and correlation ids and the time, `error_codes`, `timestamp`, `trace_id`,
 * `correlation_id`, `error_uri`.
 *
 * @example
 * errorBody(new EntraError('invalid_grant', 'AADSTS54005', 'OAuth2 Authorization code was already redeemed.'), ids, base)
 */
export function errorBody(error: EntraError, ids: ErrorIds, authority: string): Record<string, unknown> {
  const timestamp = entraTimestamp(ids.now);
  const code = Number(error.aadsts.replace(/^AADSTS/, ''));
  return {
    error: error.error,
    error_description: `${error.aadsts}: ${error.description} Trace ID: ${ids.traceId} Correlation ID: ${ids.correlationId} Timestamp: ${timestamp}`,
    error_codes: [code],
    timestamp,
    trace_id: ids.traceId,
    correlation_id: ids.correlationId,
    error_uri: `${authority}/error?code=${code}`,
  };
}

/** The generic refusal for anything unexpected: no stack trace or internal message ever reaches a response. */
export const internalError = (): EntraError =>
  new EntraError('server_error', 'AADSTS50000', 'There was an error issuing a token or an issue with our sign-in service.', 500);

/** A required parameter is missing (`AADSTS900144`). */
export const missingParameter = (name: string): EntraError =>
  new EntraError('invalid_request', 'AADSTS900144', `The request body must contain the following parameter: '${name}'.`);
