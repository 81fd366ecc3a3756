// zod/mini: the same validation with functions instead of methods, so a bundle of linkPlan carries only what it uses.
import * as z from 'zod/mini';
import { absenceReasons } from '../lib/values.js';
import { callMethodNames } from '@claimc/model';
import type { CallMethodName } from '@claimc/model';

/**
 * The plan document: plain JSON data that the compiler emits and {@link linkPlan} turns into closures.
 * Versioned; every change to its meaning bumps {@link planVersion}. docs/plan-format.md describes it and
 * docs/schemas/plan.schema.json is generated from these schemas.
 *
 * @example
 * if (document.version !== planVersion) recompile(policy);
 */
export const planVersion = 1;

const nodeRef = z.int().check(z.nonnegative());
const reason = z.enum(absenceReasons);

/** Where a directory read looks: the evaluation context's `user`, `tenant`, `client`, `resource` or `audience`. */
export const PlanReadSourceSchema = z.enum(['user', 'tenant', 'client', 'resource', 'audience']);
export type PlanReadSource = z.infer<typeof PlanReadSourceSchema>;

/** An argument of a method call: a node's value or a constant parameter. */
export const PlanArgSchema = z.union([
  z.strictObject({ name: z.string(), node: nodeRef }),
  z.strictObject({ name: z.string(), value: z.string() }),
]);
export type PlanArg = z.infer<typeof PlanArgSchema>;

/** A resolved part of a RegexReplace template. */
export const PlanTemplatePartSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('text'), text: z.string() }),
  /** A group by name or number (`"1"`), resolved against the compiled pattern at link time. */
  z.strictObject({ kind: z.literal('group'), group: z.string() }),
  /** An extra input, by its position in the node's `extras`. */
  z.strictObject({ kind: z.literal('input'), input: z.int().check(z.nonnegative()) }),
]);
export type PlanTemplatePart = z.infer<typeof PlanTemplatePartSchema>;

/**
 * Methods a `call` node may name: the method table's rows in table order, RegexReplace excepted (it has its
 * own node).
 *
 * @example
 * planMethods.includes('Join') // true
 */
export const planMethods: readonly CallMethodName[] = callMethodNames;
/** A method a `call` node may name. @example const method: PlanMethod = 'Trim'; */
export type PlanMethod = CallMethodName;

/**
 * One value node. Nodes form a DAG in topological order: a node refers only to nodes before it.
 * Values are a string, a non-empty list (multi-valued), or an absence with a reason.
 */
export const PlanNodeSchema = z.discriminatedUnion('op', [
  z.strictObject({ op: z.literal('const'), value: z.string() }),
  z.strictObject({ op: z.literal('constList'), values: z.array(z.string()).check(z.minLength(1)) }),
  z.strictObject({ op: z.literal('absent'), reason }),
  /** A Graph property path on one context object (own properties only). */
  z.strictObject({ op: z.literal('read'), source: PlanReadSourceSchema, path: z.array(z.string()).check(z.minLength(1)) }),
  /** A documented derivation (docs/evaluate.md). */
  z.strictObject({ op: z.literal('derive'), derivation: z.enum(['netbiosname', 'assignedroles', 'groups']) }),
  /** A directory extension property of the user, matched case-sensitively (EXT). */
  z.strictObject({ op: z.literal('extension'), name: z.string() }),
  /** The first value of a multi-valued node (direct emission of othermail, proxyaddresses, tags, …). */
  z.strictObject({ op: z.literal('first'), of: nodeRef }),
  /** A transformation method; `multi` names the argument that is TreatAsMultiValue. */
  z.strictObject({ op: z.literal('call'), method: z.enum(planMethods), args: z.array(PlanArgSchema), multi: z.optional(z.string()) }),
  /** RegexReplace: `regex` indexes the hoisted pattern table; `extras` are the extra input nodes. */
  z.strictObject({
    op: z.literal('regex'),
    of: nodeRef,
    multi: z.boolean(),
    regex: z.int().check(z.nonnegative()),
    template: z.array(PlanTemplatePartSchema),
    extras: z.array(nodeRef),
  }),
]);
export type PlanNode = z.infer<typeof PlanNodeSchema>;

/** A JWT claim an entry emits, or the static reason it never does. */
export const PlanJwtEmitSchema = z.union([
  z.strictObject({ entry: z.int().check(z.nonnegative()), name: z.string(), node: nodeRef }),
  z.strictObject({ entry: z.int().check(z.nonnegative()), name: z.string(), absent: reason }),
]);
export type PlanJwtEmit = z.infer<typeof PlanJwtEmitSchema>;

/** A SAML attribute (or the NameID) an entry emits, or the static reason it never does. */
export const PlanSamlEmitSchema = z.union([
  z.strictObject({
    entry: z.int().check(z.nonnegative()),
    name: z.string(),
    node: nodeRef,
    nameFormat: z.optional(z.string()),
    /** Present when the entry sets the NameID instead of an attribute. */
    nameId: z.optional(z.strictObject({ format: z.optional(z.string()) })),
  }),
  z.strictObject({ entry: z.int().check(z.nonnegative()), name: z.string(), absent: reason }),
]);
export type PlanSamlEmit = z.infer<typeof PlanSamlEmitSchema>;

export const PlanSettingsSchema = z.strictObject({
  includeBasicClaimSet: z.boolean(),
  issuerWithApplicationId: z.boolean(),
  audienceOverride: z.optional(z.string()),
  groupFilter: z.optional(
    z.strictObject({
      matchOn: z.enum(['displayname', 'samaccountname']),
      type: z.enum(['prefix', 'suffix', 'contains']),
      value: z.string(),
    }),
  ),
});
/** The policy-level settings the token issuer reads. */
export type PlanSettings = z.infer<typeof PlanSettingsSchema>;

/** The JWT program: nodes, the basic claims and the policy's claims in document order. */
export const PlanJwtProgramSchema = z.strictObject({
  nodes: z.array(PlanNodeSchema),
  basic: z.array(z.strictObject({ name: z.string(), versions: z.array(z.union([z.literal(1), z.literal(2)])), node: nodeRef })),
  emits: z.array(PlanJwtEmitSchema),
});
export type PlanJwtProgram = z.infer<typeof PlanJwtProgramSchema>;

/** The SAML program: nodes, the basic attributes and the policy's attributes in document order. */
export const PlanSamlProgramSchema = z.strictObject({
  nodes: z.array(PlanNodeSchema),
  basic: z.array(z.strictObject({ name: z.string(), node: nodeRef })),
  emits: z.array(PlanSamlEmitSchema),
});
export type PlanSamlProgram = z.infer<typeof PlanSamlProgramSchema>;

/**
 * The whole plan document.
 *
 * @example
 * const document: PlanDocument = {
 *   format: 'claimc-plan', version: 1,
 *   settings: { includeBasicClaimSet: true, issuerWithApplicationId: false },
 *   allowKeyUnlockedSamlNames: false, regexes: [],
 *   jwt: { nodes: [{ op: 'read', source: 'user', path: ['employeeId'] }], basic: [], emits: [{ entry: 0, name: 'employeeid', node: 0 }] },
 *   saml: { nodes: [], basic: [], emits: [] },
 * };
 */
export const PlanDocumentSchema = z.strictObject({
  format: z.literal('claimc-plan'),
  version: z.literal(planVersion),
  settings: PlanSettingsSchema,
  /** The policy was compiled for an application with a custom signing key: the key-unlocked SAML names are allowed. */
  allowKeyUnlockedSamlNames: z.boolean(),
  /** RE2-syntax patterns, each compiled once at link time (hoisted by the optimizer). */
  regexes: z.array(z.string()),
  jwt: PlanJwtProgramSchema,
  saml: PlanSamlProgramSchema,
});
export type PlanDocument = z.infer<typeof PlanDocumentSchema>;
