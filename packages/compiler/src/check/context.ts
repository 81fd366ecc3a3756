import type { Diagnostic, DiagnosticArgs, DiagnosticCode, DiagnosticPlace, Location, Target } from '@claimc/model';
import { diagnosticAt } from '@claimc/model';
import type { BoundPolicy } from '../bind.js';
import { locate } from './locate.js';
import type { TokenSizeApplication } from './token-size.js';

export interface CheckOptions {
  /** `entra` turns extensions and leniencies into errors (decisions.md, "two modes"). */
  readonly target?: Target;
  /** The application has a custom signing key: unlocks SAML claims (D6) and silences CM4004 (§8). */
  readonly hasCustomSigningKey?: boolean;
  /** The tenant's verified domains; when given, a NameID Join suffix must be one of them (§3.5). */
  readonly verifiedDomains?: readonly string[];
  /** The application's optional claims, group claims and app roles, when known: they enter the token-size bound. */
  readonly application?: TokenSizeApplication;
}

/** What every rule module gets: the bound policy, the options, and a way to report. */
export class CheckContext {
  readonly diagnostics: Diagnostic[] = [];
  readonly target: Target;

  constructor(
    readonly bound: BoundPolicy,
    readonly options: CheckOptions,
  ) {
    this.target = options.target ?? 'lenient';
  }

  /** The location of the first located canonical pointer. */
  at(...pointers: string[]): Location | undefined {
    return locate(this.bound.locations, ...pointers);
  }

  report(code: DiagnosticCode, args: DiagnosticArgs, location: Location | undefined, extra: Pick<DiagnosticPlace, 'hint' | 'related' | 'fix'> = {}): void {
    this.diagnostics.push(diagnosticAt(code, args, location, this.target, extra));
  }
}
