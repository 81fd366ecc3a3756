import { LineMap, type Diagnostic } from '@claimc/model';

/** A diagnostic reduced to what error tests assert: code, 1-based line and column, pointer. */
export interface Where {
  readonly code: string;
  readonly line: number;
  readonly column: number;
  readonly pointer: string | undefined;
}

/**
 * Reduces diagnostics to code + position + pointer, in file order.
 *
 * @example
 * where(text, result.diagnostics) // [{ code: 'CM1206', line: 3, column: 20, pointer: '/ClaimsSchema' }]
 */
export function where(text: string, diagnostics: readonly Diagnostic[]): Where[] {
  const lines = new LineMap(text);
  return diagnostics.map((d) => {
    const { line, column } = lines.position(d.span?.start ?? 0);
    return { code: d.code, line, column, pointer: d.pointer };
  });
}
