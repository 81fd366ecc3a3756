import { CstParser, EOF, type IOrAlt, type IParserErrorMessageProvider, type IToken, type TokenType } from 'chevrotain';
import * as t from './tokens.js';

/** Describes what a rule expects, in the language's own words (the custom error-message provider's vocabulary). */
const ruleExpectations: Readonly<Record<string, string>> = {
  policyFile: '`policy "name" {` to start the policy',
  statement: 'a statement: `claim`, `input`, `transform`, or a setting like `basic claims: include`',
  setting: 'a setting like `basic claims: include`',
  settingValue: 'a value: a word, a "string" or a number',
  claimStatement: 'a claim: `claim name = user.mail`',
  inputStatement: 'an input: `input user.extensionattribute1`',
  entryClause: 'a clause: `saml`, `format`, `nameid format`, `id`, `source`, `extension`, `value` or `via`',
  transformBlock: 'a transformation: `transform ID = Method { … }`',
  transformItem: 'a transformation line: `input`, `param`, `output`, or a setting like `inputs: none`',
  inputLine: 'an input line: `input string1 = extensionattribute1`',
  paramLine: 'a parameter line: `param separator = "."`',
  outputLine: 'an output line: `output outputClaim = DataJoin`',
  expression: 'a source like `user.mail`, a function call like `join(…)`, or a "string"',
  primary: 'a source like `user.mail`, a function call like `join(…)`, or a "string"',
  argument: 'an argument: a source like `user.mail`, a "string", a call, or `name: value`',
  name: 'a name or a "string"',
};

function describeToken(token: IToken | undefined): string {
  if (token === undefined || token.tokenType === EOF) return 'the end of the file';
  if (token.tokenType === t.ClosedString || token.tokenType === t.UnclosedString) return 'a string';
  if (token.tokenType === t.NumberLiteral) return `the number ${token.image}`;
  const image = token.image.length > 40 ? `${token.image.slice(0, 40)}…` : token.image;
  return `\`${image}\``;
}

function labelOf(type: TokenType): string {
  if (type === t.Identifier) return 'a name';
  if (type === t.Word) return 'a name';
  return type.LABEL ?? type.name;
}

function after(previous: IToken | undefined): string {
  if (previous === undefined || previous.tokenType === EOF || previous.image === '') return '';
  return ` after ${describeToken(previous)}`;
}

/** The expected-part of a syntax message; the reader pairs it with "found …" through the catalog (CM6010–CM6013). */
export const claimsErrorMessages: IParserErrorMessageProvider = {
  buildMismatchTokenMessage({ expected, previous, ruleName }) {
    if (expected === t.Equals && ruleName === 'claimStatement') return '`=` and a value';
    if (expected === t.RParen) return '`,` or `)` to close the call';
    if (expected === t.Colon && ruleName === 'setting') return '`:` after a setting name (statements start with `claim`, `input` or `transform`)';
    return `${labelOf(expected)}${after(previous)}`;
  },
  buildNotAllInputParsedMessage({ firstRedundant }) {
    return describeToken(firstRedundant);
  },
  buildNoViableAltMessage({ previous, ruleName }) {
    if (previous?.tokenType === t.Dot) return 'an attribute name like `mail` after `.`';
    return `${ruleExpectations[ruleName] ?? 'something else'}${after(previous)}`;
  },
  buildEarlyExitMessage({ previous, ruleName }) {
    return `${ruleExpectations[ruleName] ?? 'at least one item'}${after(previous)}`;
  },
};

/**
 * The `.claims` grammar. One instance, built once and reused (`parse` is synchronous, so the shared
 * state is never interleaved). Recovery is on so one run reports several errors; a file with any
 * syntax error builds nothing (threats P3).
 */
export class ClaimsParser extends CstParser {
  // the alternatives of each OR, built once: a fresh array of closures per call was a parse hot spot
  private statementAlts: IOrAlt<unknown>[] | undefined;
  private settingValueAlts: IOrAlt<unknown>[] | undefined;
  private claimNameAlts: IOrAlt<unknown>[] | undefined;
  private entryClauseAlts: IOrAlt<unknown>[] | undefined;
  private formatValueAlts: IOrAlt<unknown>[] | undefined;
  private transformItemAlts: IOrAlt<unknown>[] | undefined;
  private modifierAlts: IOrAlt<unknown>[] | undefined;
  private expressionAlts: IOrAlt<unknown>[] | undefined;
  private expressionTailAlts: IOrAlt<unknown>[] | undefined;
  private attributeAlts: IOrAlt<unknown>[] | undefined;
  private argumentNameAlts: IOrAlt<unknown>[] | undefined;
  private nameAlts: IOrAlt<unknown>[] | undefined;

  constructor() {
    super(t.allTokens as TokenType[], { recoveryEnabled: true, maxLookahead: 3, errorMessageProvider: claimsErrorMessages, nodeLocationTracking: 'onlyOffset' });
    this.performSelfAnalysis();
  }

  public policyFile = this.RULE('policyFile', () => {
    this.CONSUME(t.Policy);
    this.OPTION(() => this.SUBRULE(this.name));
    this.CONSUME(t.LBrace);
    this.MANY(() => this.SUBRULE(this.statement));
    this.CONSUME(t.RBrace);
  });

  public statement = this.RULE('statement', () => {
    this.OR((this.statementAlts ??= [
      { ALT: () => this.SUBRULE(this.claimStatement) },
      { ALT: () => this.SUBRULE(this.inputStatement) },
      { ALT: () => this.SUBRULE(this.transformBlock) },
      { ALT: () => this.SUBRULE(this.setting) },
    ]));
  });

  /** `words: values` — the words and values are interpreted by the reader, so unknown settings get a did-you-mean. */
  public setting = this.RULE('setting', () => {
    this.CONSUME(t.Identifier, { LABEL: 'key' });
    this.MANY(() => this.CONSUME(t.AttributeWord, { LABEL: 'key' }));
    this.CONSUME(t.Colon);
    this.SUBRULE(this.settingValue);
    // a value word followed by `words… :` starts the next setting, so only the first value is taken unconditionally
    this.MANY2({ GATE: () => !this.startsSetting(), DEF: () => this.SUBRULE2(this.settingValue) });
  });

  public settingValue = this.RULE('settingValue', () => {
    this.OR((this.settingValueAlts ??= [
      { ALT: () => this.CONSUME(t.Identifier) },
      { ALT: () => this.CONSUME(t.StringLiteral) },
      { ALT: () => this.CONSUME(t.NumberLiteral) },
    ]));
  });

  public claimStatement = this.RULE('claimStatement', () => {
    this.CONSUME(t.Claim);
    this.OPTION(() =>
      this.OR((this.claimNameAlts ??= [
        { ALT: () => this.SUBRULE(this.name, { LABEL: 'jwt' }) },
        {
          ALT: () => {
            this.CONSUME(t.Saml);
            this.CONSUME(t.StringLiteral, { LABEL: 'saml' });
          },
        },
      ])),
    );
    this.OPTION2(() => {
      this.CONSUME(t.Equals);
      this.SUBRULE(this.expression);
    });
    this.MANY(() => this.SUBRULE(this.entryClause));
  });

  public inputStatement = this.RULE('inputStatement', () => {
    this.CONSUME(t.Input);
    this.SUBRULE(this.expression);
    this.MANY(() => this.SUBRULE(this.entryClause));
  });

  public entryClause = this.RULE('entryClause', () => {
    this.OR((this.entryClauseAlts ??= [
      {
        ALT: () => {
          this.CONSUME(t.Saml);
          this.CONSUME(t.StringLiteral);
        },
      },
      {
        ALT: () => {
          this.CONSUME(t.Format);
          this.SUBRULE(this.formatValue);
        },
      },
      {
        ALT: () => {
          this.CONSUME(t.NameId);
          this.CONSUME2(t.Format);
          this.SUBRULE2(this.formatValue);
        },
      },
      {
        ALT: () => {
          this.CONSUME(t.Id);
          this.SUBRULE(this.name);
        },
      },
      {
        ALT: () => {
          this.CONSUME(t.Source);
          this.SUBRULE2(this.name);
        },
      },
      {
        ALT: () => {
          this.CONSUME(t.Extension);
          this.SUBRULE3(this.name);
        },
      },
      {
        ALT: () => {
          this.CONSUME(t.Value);
          this.CONSUME2(t.StringLiteral);
        },
      },
      {
        ALT: () => {
          this.CONSUME(t.Via);
          this.SUBRULE4(this.name);
        },
      },
    ]));
  });

  public formatValue = this.RULE('formatValue', () => {
    this.OR((this.formatValueAlts ??= [{ ALT: () => this.CONSUME(t.Word) }, { ALT: () => this.CONSUME(t.StringLiteral) }]));
  });

  public transformBlock = this.RULE('transformBlock', () => {
    this.CONSUME(t.Transform);
    this.SUBRULE(this.name, { LABEL: 'id' });
    this.CONSUME(t.Equals);
    this.SUBRULE2(this.name, { LABEL: 'method' });
    this.CONSUME(t.LBrace);
    this.MANY(() => this.SUBRULE(this.transformItem));
    this.CONSUME(t.RBrace);
  });

  public transformItem = this.RULE('transformItem', () => {
    this.OR((this.transformItemAlts ??= [
      { ALT: () => this.SUBRULE(this.inputLine) },
      { ALT: () => this.SUBRULE(this.paramLine) },
      { ALT: () => this.SUBRULE(this.outputLine) },
      { ALT: () => this.SUBRULE(this.setting) },
    ]));
  });

  public inputLine = this.RULE('inputLine', () => {
    this.CONSUME(t.Input);
    this.SUBRULE(this.name, { LABEL: 'kind' });
    this.CONSUME(t.Equals);
    this.OPTION(() => this.SUBRULE(this.modifier));
    this.SUBRULE2(this.name, { LABEL: 'ref' });
    this.OPTION2(() => {
      this.CONSUME(t.Source);
      this.CONSUME(t.StringLiteral, { LABEL: 'refSource' });
    });
  });

  public paramLine = this.RULE('paramLine', () => {
    this.CONSUME(t.Param);
    this.SUBRULE(this.name, { LABEL: 'kind' });
    this.CONSUME(t.Equals);
    this.CONSUME(t.StringLiteral, { LABEL: 'value' });
    this.OPTION(() => {
      this.CONSUME(t.DataType);
      this.CONSUME2(t.StringLiteral, { LABEL: 'dataType' });
    });
  });

  public outputLine = this.RULE('outputLine', () => {
    this.CONSUME(t.Output);
    this.SUBRULE(this.name, { LABEL: 'kind' });
    this.CONSUME(t.Equals);
    this.SUBRULE2(this.name, { LABEL: 'ref' });
  });

  public modifier = this.RULE('modifier', () => {
    this.OR((this.modifierAlts ??= [{ ALT: () => this.CONSUME(t.Each) }, { ALT: () => this.CONSUME(t.First) }]));
  });

  public expression = this.RULE('expression', () => {
    this.OPTION(() => this.SUBRULE(this.modifier));
    this.OR((this.expressionAlts ??= [
      { ALT: () => this.CONSUME(t.StringLiteral, { LABEL: 'literal' }) },
      {
        ALT: () => {
          this.CONSUME(t.Identifier, { LABEL: 'head' });
          this.OR2((this.expressionTailAlts ??= [
            {
              ALT: () => {
                this.CONSUME(t.Dot);
                this.OR3((this.attributeAlts ??= [{ ALT: () => this.CONSUME(t.AttributeWord, { LABEL: 'attribute' }) }, { ALT: () => this.CONSUME2(t.StringLiteral, { LABEL: 'attribute' }) }]));
              },
            },
            {
              ALT: () => {
                this.CONSUME(t.LParen);
                this.OPTION2(() => {
                  this.SUBRULE(this.argument);
                  this.MANY({
                    GATE: () => this.LA(2).tokenType !== t.RParen,
                    DEF: () => {
                      this.CONSUME(t.Comma);
                      this.SUBRULE2(this.argument);
                    },
                  });
                  this.OPTION4(() => this.CONSUME2(t.Comma));
                });
                this.CONSUME(t.RParen);
                this.OPTION3(() => {
                  this.CONSUME(t.As);
                  this.SUBRULE(this.name, { LABEL: 'as' });
                });
              },
            },
          ]));
        },
      },
    ]));
  });

  public argument = this.RULE('argument', () => {
    this.OPTION({
      GATE: () => this.LA(2).tokenType === t.Colon,
      DEF: () => {
        this.OR((this.argumentNameAlts ??= [{ ALT: () => this.CONSUME(t.Word, { LABEL: 'argName' }) }, { ALT: () => this.CONSUME(t.StringLiteral, { LABEL: 'argName' }) }]));
        this.CONSUME(t.Colon);
      },
    });
    this.SUBRULE(this.expression);
  });

  public name = this.RULE('name', () => {
    this.OR((this.nameAlts ??= [{ ALT: () => this.CONSUME(t.Identifier) }, { ALT: () => this.CONSUME(t.StringLiteral) }]));
  });

  /** True when the next tokens are `word word… :`, i.e. the values of the current setting have ended. */
  private startsSetting(): boolean {
    if (this.LA(1).tokenType !== t.Identifier) return false;
    for (let i = 2; i < 64; i++) {
      const type = this.LA(i).tokenType;
      if (type === t.Colon) return true;
      if (type !== t.Identifier && !t.attributeKeywords.includes(type)) return false;
    }
    return false;
  }
}

/** The one parser instance (chevrotain habit: build once, reuse). */
export const claimsParser = new ClaimsParser();
