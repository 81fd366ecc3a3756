// CodeMirror 6 wired to @claimc/language-service: the editor's diagnostics become lint squiggles, its
// completions CodeMirror completions, its hovers tooltips — the same services the language server uses.
import { autocompletion, snippet, type Completion, type CompletionContext, type CompletionResult } from '@codemirror/autocomplete';
import { defaultKeymap, history, historyKeymap } from '@codemirror/commands';
import { json } from '@codemirror/lang-json';
import { bracketMatching } from '@codemirror/language';
import { linter, lintGutter, type Diagnostic as LintDiagnostic } from '@codemirror/lint';
import { Compartment, EditorState, type Text } from '@codemirror/state';
import { EditorView, hoverTooltip, keymap, lineNumbers } from '@codemirror/view';
import { completeAt, hoverAt, PolicyDocuments, toLspDiagnostics, type PolicyAnalysis } from '@claimc/language-service';

/** The two ways the page edits a policy. */
export type PolicyFormat = 'claims' | 'json';

export const fileNameOf = (format: PolicyFormat): string => (format === 'claims' ? 'policy.claims' : 'policy.json');

type LspPosition = { readonly line: number; readonly character: number };
const offsetOf = (doc: Text, position: LspPosition): number => {
  if (position.line + 1 > doc.lines) return doc.length;
  const line = doc.line(position.line + 1);
  return Math.min(line.from + position.character, line.to);
};
const positionOf = (doc: Text, offset: number): LspPosition => {
  const line = doc.lineAt(offset);
  return { line: line.number - 1, character: offset - line.from };
};
const severities = { 1: 'error', 2: 'warning', 3: 'info', 4: 'hint' } as const;

/** An editor of one policy, analysed on every change by the shared language services. */
export class PolicyEditor {
  readonly view: EditorView;
  private formatValue: PolicyFormat;
  private readonly docs = new PolicyDocuments();
  private readonly uri: string;
  private readonly language = new Compartment();

  constructor(parent: HTMLElement, name: string, text: string, format: PolicyFormat, onAnalysis: (analysis: PolicyAnalysis) => void) {
    this.uri = `playground:///${name}`;
    this.formatValue = format;
    const squiggles = linter(
      (view) => {
        const analysis = this.analysis(view.state.doc.toString());
        onAnalysis(analysis);
        return toLspDiagnostics(analysis, this.uri).map(
          (d): LintDiagnostic => ({
            from: offsetOf(view.state.doc, d.range.start),
            to: offsetOf(view.state.doc, d.range.end),
            severity: severities[d.severity ?? 1],
            source: String(d.code ?? 'claimc'),
            message: d.message,
          }),
        );
      },
      { delay: 150 },
    );
    this.view = new EditorView({
      parent,
      state: EditorState.create({
        doc: text,
        extensions: [
          lineNumbers(),
          history(),
          bracketMatching(),
          keymap.of([...defaultKeymap, ...historyKeymap]),
          this.language.of(format === 'json' ? json() : []),
          squiggles,
          lintGutter(),
          autocompletion({ override: [(context) => this.complete(context)] }),
          hoverTooltip((view, pos) => this.hover(view, pos)),
          EditorView.lineWrapping,
        ],
      }),
    });
  }

  get format(): PolicyFormat {
    return this.formatValue;
  }

  get text(): string {
    return this.view.state.doc.toString();
  }

  /** The analysis of a text in the current format (cached per text by the language services). */
  analysis(text: string = this.text): PolicyAnalysis {
    return this.docs.analyze(this.uri, text, fileNameOf(this.formatValue));
  }

  /** Replaces the text (and the format), as a load or a format toggle does. */
  load(text: string, format: PolicyFormat): void {
    this.formatValue = format;
    this.view.dispatch({ changes: { from: 0, to: this.view.state.doc.length, insert: text }, effects: this.language.reconfigure(format === 'json' ? json() : []) });
  }

  private complete(context: CompletionContext): CompletionResult | null {
    const text = context.state.doc.toString();
    const analysis = this.analysis(text);
    const items = completeAt(analysis, this.docs.lastReadable(this.uri), positionOf(context.state.doc, context.pos));
    if (items.length === 0) return null;
    const word = context.matchBefore(/[\w.$:/-]*/);
    let from = word?.from ?? context.pos;
    let to = context.pos;
    const first = items[0]!.textEdit;
    if (first !== undefined && 'range' in first) {
      from = offsetOf(context.state.doc, first.range.start);
      to = offsetOf(context.state.doc, first.range.end);
    }
    const options = items.map((item): Completion => {
      const insert = item.textEdit?.newText ?? item.insertText ?? item.label;
      const documentation = typeof item.documentation === 'string' ? item.documentation : item.documentation?.value;
      return {
        label: item.label,
        ...(item.detail !== undefined ? { detail: item.detail } : {}),
        ...(documentation !== undefined ? { info: documentation } : {}),
        apply: /\$\d/.test(insert) ? snippet(insert.replace(/\$(\d+)/g, '$${$1}')) : insert,
      };
    });
    return { from, to, options, filter: true };
  }

  private hover(view: EditorView, pos: number): { pos: number; create: () => { dom: HTMLElement } } | null {
    const hover = hoverAt(this.analysis(view.state.doc.toString()), positionOf(view.state.doc, pos));
    if (hover === undefined) return null;
    const contents = hover.contents;
    const value = typeof contents === 'string' ? contents : 'value' in contents ? contents.value : Array.isArray(contents) ? contents.map((c) => (typeof c === 'string' ? c : c.value)).join('\n\n') : '';
    return {
      pos,
      create: () => {
        const dom = document.createElement('div');
        dom.className = 'hover';
        dom.textContent = value.replace(/[`*]/g, '');
        return { dom };
      },
    };
  }
}
