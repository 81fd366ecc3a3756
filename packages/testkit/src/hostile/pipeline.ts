import { diagnosticCatalog, hasErrors, jwtNameRestriction, samlNameRestriction, samlRestrictedClaims, type Diagnostic } from '@claimc/model';
import { compilePolicy, prepareDirectory, renderDiagnostics } from '@claimc/compiler';
import { ClaimcRuntimeError, GraphUserSchema, TokenRefusedError, assembleToken, buildDirectory, evaluateJwt, evaluateSaml, linkPlan, policyPort, samlAssertionXml, type EvaluationContext, type IndexedDirectory, type KeyRing, type LinkedPlan, type PolicyPort, type TokenRequest } from '@claimc/runtime/internal';
import { defaultIds, defaultSnapshot, demoSigningJwk } from '@claimc/cli';
import { importNodeSigningKey, signJwtSync, type NodeSigningKey } from '@claimc/runtime/node';
import { contextUserBase, rawPolicyBases } from './bases.js';
import { hostileClocks, type HostileInput } from './generator.js';
import { knownOpenDefects, type DefectTag } from './known-defects.js';
import { compiledOrThrow } from '../engines.js';

/** One broken rule for one input; `defect` names the known defect that explains it, if any. */
export interface HostileFinding {
  readonly rule: string;
  readonly detail: string;
  readonly defect?: DefectTag;
}

/** What running one input through the library gave. */
export interface HostileRun {
  readonly findings: readonly HostileFinding[];
  /** Findings no open defect explains: the campaign fails on these. */
  readonly open: readonly HostileFinding[];
  /** Wall time of the whole pipeline for this input, in ms. */
  readonly ms: number;
  /** CPU time (user + system) of the whole pipeline for this input, in ms: the budgeted figure, steady under load. */
  readonly cpuMs: number;
  /** The last stage the input reached (read, compile, render, link, evaluate, issue). */
  readonly reached: string;
  /** Error codes seen, for the campaign's summary. */
  readonly codes: readonly string[];
  /** Time spent per stage, in ms. */
  readonly stageMs: ReadonlyMap<string, number>;
}

/** Per-input budget (threats §3.4): no single input may take longer. */
export const inputBudgetMs = 5_000;
/** A code frame line longer than this echoes the input instead of a window around the column. */
export const maxRenderedLine = 2_000;
/** First second past 9999-12-31T23:59:59Z: the last clock an xs:dateTime can express. */
const lastDateTimeSecond = 253_402_300_799;
/** While the JSON reader is slow on NUL-filled text, larger such inputs skip compiling (recorded as that defect). */
const readDeferredAbove = 16_384;
const countNul = (text: string): number => text.split('\u0000').length - 1;
/** While the text renderer is quadratic in the line length, larger inputs skip rendering (recorded as that defect). */
const renderDeferredAbove = 16_384;
const xsDateTime = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?Z$/;
const samlLineSeparators = /[\u0085\u2028\u2029]/;
const samlCoreUris = new Set(samlRestrictedClaims.map((n) => n.toLowerCase()));
/** Whole-file problems (size, emptiness, the reader's last-resort guard) have no position by design. */
const wholeFileCodes = new Set(['CM1001', 'CM1003', 'CM1004', 'CM6005']);
const prototypeNames = new Set(['__proto__', 'constructor', 'prototype']);

interface Shared {
  readonly context: EvaluationContext;
  readonly basePlans: readonly LinkedPlan[];
  readonly ports: ReadonlyMap<string, PolicyPort>;
  readonly key: KeyRing<NodeSigningKey>;
  readonly prototypeShape: string;
}
let shared: Shared | undefined;

/** Fixtures every input reuses, built once: a context, the base plans, the demo tenant's policy ports and key. */
function sharedFixtures(): Shared {
  if (shared !== undefined) return shared;
  const prepared = prepareDirectory(defaultSnapshot);
  const ports = new Map<string, PolicyPort>();
  for (const [id, plan] of prepared.plans) ports.set(id, policyPort(linkPlan(plan)));
  shared = {
    context: { user: GraphUserSchema.parse(JSON.parse(contextUserBase)) },
    basePlans: rawPolicyBases.map((text) => compiledOrThrow(compilePolicy(text)).linked),
    ports,
    key: { tenant: importNodeSigningKey({ ...demoSigningJwk }), applications: new Map() },
    prototypeShape: prototypeShape(),
  };
  return shared;
}

function prototypeShape(): string {
  return [Object.prototype, Array.prototype, Function.prototype].map((p) => Object.getOwnPropertyNames(p).sort().join(',')).join('|');
}

/** Decodes like a lenient reader: invalid UTF-8 becomes U+FFFD, a BOM and NULs stay (the library sees them). */
function decode(bytes: Uint8Array): string {
  return new TextDecoder('utf-8', { fatal: false, ignoreBOM: true }).decode(bytes);
}

/** Collects findings for one input; `stage` runs a step and turns an escaped exception into a finding. */
class Recorder {
  readonly findings: HostileFinding[] = [];
  readonly codes: string[] = [];
  reached = 'read';
  readonly stageMs = new Map<string, number>();

  add(rule: string, detail: string, defect?: DefectTag): void {
    this.findings.push({ rule, detail, ...(defect !== undefined ? { defect } : {}) });
  }

  /** Runs a step; typed runtime errors are allowed where `typedAllowed`, anything else escaping is a finding. */
  stage<T>(name: string, step: () => T, options: { typedAllowed?: boolean; clock?: number } = {}): T | undefined {
    this.reached = name;
    const started = performance.now();
    try {
      return step();
    } catch (error) {
      if (options.typedAllowed === true && (error instanceof ClaimcRuntimeError || error instanceof TokenRefusedError)) {
        this.codes.push(error instanceof ClaimcRuntimeError ? error.code : 'AADSTS');
        return undefined;
      }
      const text = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
      const extremeClock = options.clock !== undefined && options.clock > lastDateTimeSecond;
      this.add('no-exception', `${name} threw ${text.slice(0, 300)}`, extremeClock && error instanceof RangeError ? 'clock-extremes' : undefined);
      return undefined;
    } finally {
      this.stageMs.set(name, (this.stageMs.get(name) ?? 0) + performance.now() - started);
    }
  }

  /** Every diagnostic has a catalogued code; every error is located (span inside the text, or a pointer). */
  diagnostics(diagnostics: readonly Diagnostic[], text: string | undefined): void {
    for (const d of diagnostics) {
      if (!/^CM\d{4}$/.test(d.code) || !diagnosticCatalog.has(d.code)) this.add('coded', `diagnostic without a catalogued code: ${d.code}`);
      if (d.severity !== 'error') continue;
      this.codes.push(d.code);
      if (text === undefined) {
        if (d.pointer === undefined) this.add('located', `${d.code} has no JSON Pointer`);
      } else if (d.span === undefined) {
        if (!wholeFileCodes.has(d.code)) this.add('located', `${d.code} has no position: ${d.message.slice(0, 120)}`);
      } else if (d.span.start < 0 || d.span.end > text.length || d.span.start > d.span.end) this.add('located', `${d.code} span ${d.span.start}-${d.span.end} outside 0-${text.length}`);
    }
  }

  /** Policy claim names that reach an evaluation or a token: never reserved, prototype or core SAML URI names. */
  jwtNames(names: readonly string[], where: string): void {
    for (const name of names) {
      if (prototypeNames.has(name.toLowerCase()) || jwtNameRestriction(name) !== undefined) this.add('reserved-name', `${where} emitted JWT claim ${JSON.stringify(name.slice(0, 100))}`);
      else if (disguisedReserved(name)) this.add('reserved-name', `${where} emitted JWT claim ${JSON.stringify(name.slice(0, 100))}`, 'jwt-name-disguised-reserved');
    }
  }

  /**
   * Token claim names (the runtime's own claims included): never a prototype key; in a JWT never a disguised reserved
   * name either (`iss:x`, a core claim's URI). SAML attribute names follow the SAML rules (samlNames): a name such as
   * `cnf.jwk` means nothing special there.
   */
  tokenNames(names: readonly string[], where: string, format: 'jwt' | 'saml' = 'jwt'): void {
    for (const name of names) {
      if (prototypeNames.has(name.toLowerCase())) this.add('reserved-name', `${where} carries ${JSON.stringify(name)}`);
      else if (format === 'jwt' && disguisedReserved(name)) this.add('reserved-name', `${where} carries ${JSON.stringify(name.slice(0, 100))}`, 'jwt-name-disguised-reserved');
    }
  }

  samlNames(names: readonly string[], where: string): void {
    for (const name of names) {
      const restriction = samlNameRestriction(name, true);
      if (restriction !== undefined && restriction !== 'needs-custom-key') this.add('reserved-name', `${where} emitted SAML attribute ${JSON.stringify(name.slice(0, 100))} (${restriction})`);
    }
  }
}

/** The rule of issue 15 item 1, independent of the checker: core SAML URIs and reserved names before `:` `/` `#`. */
export function disguisedReserved(name: string): boolean {
  const lower = name.toLowerCase();
  if (samlCoreUris.has(lower)) return true;
  const first = lower.split(/[.:/#]/)[0] ?? lower;
  return first !== lower && !lower.includes('://') && jwtNameRestriction(first) === 'restricted';
}

/** Issues an ID token for the web app and a SAML assertion for the SAML app, then checks what reached them. */
function issue(rec: Recorder, directory: IndexedDirectory, clock: number): void {
  const shared = sharedFixtures();
  const requests: TokenRequest[] = [
    { token: 'id', client: defaultIds.webApp, user: 'adelev@contoso.com', now: clock },
    { token: 'saml', client: defaultIds.samlApp, user: 'adelev@contoso.com', now: clock },
  ];
  for (const request of requests) {
    const assembled = rec.stage('issue', () => assembleToken(directory, request), { typedAllowed: true, clock });
    if (assembled === undefined) continue;
    if (assembled.format === 'jwt') {
      rec.tokenNames(Object.keys(assembled.payload), 'JWT');
      for (const claim of ['exp', 'iat', 'nbf'] as const) {
        const value = assembled.payload[claim];
        if (typeof value === 'number' && !Number.isSafeInteger(value)) rec.add('clock', `${claim} ${value} is not a safe integer`, clock + 86_400 > lastDateTimeSecond ? 'clock-extremes' : undefined);
      }
      rec.stage('sign', () => signJwtSync(assembled, shared.key), { typedAllowed: true, clock });
    } else {
      rec.tokenNames(
        assembled.attributes.map((a) => a.name).filter((n) => !samlCoreUris.has(n.toLowerCase())),
        'SAML assertion',
        'saml',
      );
      const xml = rec.stage('saml', () => samlAssertionXml(assembled), { typedAllowed: true, clock });
      if (xml === undefined) continue;
      if (samlLineSeparators.test(xml)) rec.add('saml-text', 'U+0085/U+2028/U+2029 written raw into the assertion', 'saml-text-line-separators');
      for (const [, attribute, value] of xml.matchAll(/ (IssueInstant|NotBefore|NotOnOrAfter|AuthnInstant)="([^"]*)"/g)) {
        if (!xsDateTime.test(value!)) rec.add('clock', `${attribute}="${value}" is not an xs:dateTime`, clock + 86_400 > lastDateTimeSecond ? 'clock-extremes' : undefined);
      }
    }
  }
}

/** Evaluates a linked plan for both formats and checks the names it emits. */
function evaluate(rec: Recorder, plan: LinkedPlan, context: EvaluationContext, jwtVersion: 1 | 2): void {
  const jwt = rec.stage('evaluate', () => evaluateJwt(plan, context, { jwtVersion }), { typedAllowed: true });
  if (jwt !== undefined) rec.jwtNames(Object.keys(jwt.policy), 'evaluation');
  const saml = rec.stage('evaluate', () => evaluateSaml(plan, context), { typedAllowed: true });
  if (saml !== undefined)
    rec.samlNames(
      saml.attributes.map((a) => a.name),
      'evaluation',
    );
}

/** The demo tenant with `plan` assigned to the web app and the SAML app. */
function directoryWith(rec: Recorder, plan: LinkedPlan): IndexedDirectory | undefined {
  const shared = sharedFixtures();
  const id = 'campaign-policy';
  const snapshot = {
    ...defaultSnapshot,
    servicePrincipals: defaultSnapshot.servicePrincipals!.map((sp) => (sp.appId === defaultIds.webApp || sp.appId === defaultIds.samlApp ? { ...sp, claimsMappingPolicies: [{ id }] } : sp)),
    claimsMappingPolicies: [...(defaultSnapshot.claimsMappingPolicies ?? []), { id, displayName: 'campaign', definition: ['{}'] }],
  };
  return rec.stage('issue', () => buildDirectory(snapshot, new Map([...shared.ports, [id, policyPort(plan)]])), { typedAllowed: true });
}

function runPolicy(rec: Recorder, input: HostileInput, text: string): void {
  const shared = sharedFixtures();
  const target = input.recipe.base % 2 === 0 ? 'lenient' : 'entra';
  if (knownOpenDefects.has('nul-text-slow-read') && text.length > readDeferredAbove && countNul(text) > 256) {
    rec.add('read-deferred', `reading a ${text.length}-character text with NULs skipped: it takes seconds of CPU`, 'nul-text-slow-read');
    return;
  }
  const result = rec.stage('compile', () => compilePolicy(text, { fileName: input.fileName, target }));
  if (result === undefined) return;
  rec.diagnostics(result.diagnostics, text);
  const errors = hasErrors(result.diagnostics);
  if (errors && result.ok) rec.add('no-plan-on-error', 'compilePolicy returned a plan with error diagnostics', 'plan-after-read-errors');
  const cleanBytes = input.recipe.bytes.length === 0 && input.recipe.encoding.startsWith('utf8');
  if (input.insertsPrototypeKey && cleanBytes && !errors) rec.add('prototype-key', `a prototype key as a JSON key compiled without an error (${target})`, target === 'lenient' ? 'prototype-json-key-lenient' : undefined);
  if (result.diagnostics.length > 0 && knownOpenDefects.has('text-render-quadratic') && text.length > renderDeferredAbove) {
    rec.add('render-deferred', `text rendering of a ${text.length}-character input skipped: it is quadratic on long lines`, 'text-render-quadratic');
  } else if (result.diagnostics.length > 0) {
    const rendered = rec.stage('render', () => renderDiagnostics([{ file: input.fileName, text, diagnostics: result.diagnostics }], 'text'));
    const longest = rendered === undefined ? 0 : Math.max(...rendered.split('\n').map((l) => l.length));
    if (longest > maxRenderedLine) rec.add('render-window', `a rendered line has ${longest} characters: the diagnostic echoes the input`, 'diagnostic-echoes-long-name');
  }
  if (!result.ok || errors) return;
  const context = input.subject === undefined ? shared.context : { user: { ...shared.context.user!, department: input.subject } };
  evaluate(rec, result.linked, context, input.recipe.base % 3 === 0 ? 1 : 2);
  const directory = directoryWith(rec, result.linked);
  if (directory !== undefined) issue(rec, directory, hostileClocks[input.recipe.clock % hostileClocks.length]!);
}

function parseJson(rec: Recorder, text: string): { ok: true; value: unknown } | { ok: false } {
  rec.reached = 'read';
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch {
    return { ok: false }; // not JSON: the CLI refuses it as unreadable input (exit 2) before any stage
  }
}

function runSnapshot(rec: Recorder, input: HostileInput, text: string): void {
  const parsed = parseJson(rec, text);
  if (!parsed.ok) return;
  const prepared = rec.stage('prepare', () => prepareDirectory(parsed.value));
  if (prepared === undefined) return;
  rec.diagnostics(prepared.diagnostics, undefined);
  if (prepared.directory !== undefined) issue(rec, prepared.directory, hostileClocks[input.recipe.clock % hostileClocks.length]!);
}

function runContext(rec: Recorder, text: string): void {
  const parsed = parseJson(rec, text);
  if (!parsed.ok) return;
  const user = GraphUserSchema.safeParse(parsed.value);
  if (!user.success) return; // the CLI reports the schema issues with JSON Pointers (exit 2)
  for (const plan of sharedFixtures().basePlans) evaluate(rec, plan, { user: user.data }, 2);
}

function runPlan(rec: Recorder, text: string): void {
  const parsed = parseJson(rec, text);
  if (!parsed.ok) return;
  const linked = rec.stage('link', () => linkPlan(parsed.value as Parameters<typeof linkPlan>[0]), { typedAllowed: true });
  if (linked !== undefined) evaluate(rec, linked, sharedFixtures().context, 2);
}

/**
 * Runs one hostile input through the library — read → check → compile → render → link → evaluate → issue —
 * and returns every broken rule: an exception escaping a stage (typed runtime errors are allowed from link,
 * evaluate and issue), an error without a catalogued code or location, a plan despite errors, a reserved or
 * prototype name reaching an evaluation or token, unencodable SAML text or clocks, over-long code frames,
 * prototype pollution, more than {@link inputBudgetMs} of CPU time.
 *
 * @example
 * const run = runHostileInput(renderHostileInput(recipe));
 * expect(run.open).toEqual([]);
 */
export function runHostileInput(input: HostileInput): HostileRun {
  const fixtures = sharedFixtures();
  const rec = new Recorder();
  const started = performance.now();
  const cpuStarted = process.cpuUsage();
  const text = decode(input.bytes);
  switch (input.front) {
    case 'snapshot':
      runSnapshot(rec, input, text);
      break;
    case 'context':
      runContext(rec, text);
      break;
    case 'plan':
      runPlan(rec, text);
      break;
    default:
      runPolicy(rec, input, text);
  }
  const ms = performance.now() - started;
  const cpu = process.cpuUsage(cpuStarted);
  const cpuMs = (cpu.user + cpu.system) / 1000;
  if (cpuMs > inputBudgetMs) rec.add('time', `used ${Math.round(cpuMs)} ms of CPU (budget ${inputBudgetMs} ms) in ${rec.reached}`, rec.reached === 'render' ? 'text-render-quadratic' : undefined);
  if (prototypeShape() !== fixtures.prototypeShape || ({} as Record<string, unknown>)['polluted'] !== undefined) rec.add('prototype-pollution', 'a built-in prototype changed');
  const open = rec.findings.filter((f) => f.defect === undefined || !knownOpenDefects.has(f.defect));
  return { findings: rec.findings, open, ms, cpuMs, reached: rec.reached, codes: rec.codes, stageMs: rec.stageMs };
}
