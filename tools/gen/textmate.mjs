// The TextMate grammar the VS Code extension ships, generated from the .claims lexer and the knowledge base.
import { claimsTextMateGrammar } from '../../packages/syntax/dist/index.js';

export async function generate() {
  return [{ path: 'packages/vscode/syntaxes/claims.tmLanguage.json', content: JSON.stringify(claimsTextMateGrammar(), null, 2) + '\n' }];
}
