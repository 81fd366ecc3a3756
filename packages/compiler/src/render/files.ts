import type { Diagnostic } from '@claimc/model';

/** One checked file as the renderers see it: its name as the user wrote it, its text, and what was found. */
export interface DiagnosticFile {
  /** Shown as written; SARIF turns it into a relative URI. */
  readonly file: string;
  /** The file's text (empty when it could not be read); positions are computed against it. */
  readonly text: string;
  readonly diagnostics: readonly Diagnostic[];
  /** Print each diagnostic's JSON Pointer in the text format: for JSON documents such as directory snapshots, where the pointer names the place best. */
  readonly showPointers?: boolean;
}

/** The output formats of {@link renderDiagnostics}. */
export type DiagnosticFormat = 'text' | 'json' | 'sarif';

/**
 * The formats {@link renderDiagnostics} accepts, for argument validation.
 *
 * @example
 * diagnosticFormats.includes(value as DiagnosticFormat)
 */
export const diagnosticFormats: readonly DiagnosticFormat[] = ['text', 'json', 'sarif'];

/** Options of {@link renderDiagnostics}. */
export interface RenderOptions {
  /** ANSI colour in the text format; the CLI asks for it only on a TTY without `NO_COLOR`. */
  readonly color?: boolean;
  /** SARIF `tool.driver.version`: the version of the program that ran the check. */
  readonly toolVersion?: string;
  /**
   * SARIF: the absolute directory relative file names are resolved against (the working directory); it becomes
   * `originalUriBaseIds.SRCROOT`, and each artifact is `{ uri, uriBaseId: 'SRCROOT' }`.
   */
  readonly baseDirectory?: string;
  /**
   * Text format: how many diagnostics per file get a code frame, hint and notes (default 50); the rest are one line
   * each, followed by a line saying how many. Keeps a flood of findings readable and the output linear in size.
   */
  readonly maxCodeFrames?: number;
}
