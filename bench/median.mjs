// Merges the logs of several full bench runs into one: every number becomes the median of that number across the
// runs, so a published figure is the median of N full runs (each ratio is the median of the per-run ratios).
// A line whose words differ between runs (e.g. "met" in one run, "MISSED" in another), or that holds a date, is
// printed once per run.
//   node bench/median.mjs run-1.txt run-2.txt run-3.txt > median.txt
import { readFileSync } from 'node:fs';

const isoDate = /\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/;
const number = /-?\d+(?:,\d{3})*(?:\.\d+)?(?:e[+-]?\d+)?/gi;

/** Splits a line into its words (the text between numbers) and its numbers. */
function tokenize(line) {
  const numbers = [];
  const skeleton = line.replace(number, (text) => {
    numbers.push(text);
    return '\u0000';
  });
  return { skeleton, numbers };
}

const parse = (text) => Number(text.replaceAll(',', ''));

/** Formats a median like the run's own figure: same decimals, same thousands separators, same notation. */
function format(value, like) {
  if (/e/i.test(like)) return value.toExponential(Math.max(0, (like.split(/e/i)[0].split('.')[1] ?? '').length));
  const decimals = (like.split('.')[1] ?? '').length;
  const fixed = value.toFixed(decimals);
  if (!like.includes(',')) return fixed;
  const [whole, fraction] = fixed.split('.');
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return fraction === undefined ? grouped : `${grouped}.${fraction}`;
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/** The median log of several runs' logs (each a string), line by line. */
export function medianLog(logs) {
  const runs = logs.map((log) => log.split('\n'));
  const lines = Math.max(...runs.map((r) => r.length));
  const out = [];
  for (let i = 0; i < lines; i++) {
    const versions = runs.map((r) => r[i] ?? '');
    const tokens = versions.map(tokenize);
    // A line holding a date names one run, so each run's version is kept (the median of two dates means nothing).
    const dated = versions.some((line) => isoDate.test(line));
    // Column padding follows the widths of the numbers, so words are compared with their spacing collapsed.
    const words = (t) => t.skeleton.replace(/\s+/g, ' ');
    const same = !dated && tokens.every((t) => words(t) === words(tokens[0]) && t.numbers.length === tokens[0].numbers.length);
    if (!same) {
      versions.forEach((line, run) => out.push(`[run ${run + 1}] ${line}`));
      continue;
    }
    let k = 0;
    out.push(
      tokens[0].skeleton.replace(/\u0000/g, () => {
        const texts = tokens.map((t) => t.numbers[k]);
        k++;
        if (texts.every((t) => t === texts[0])) return texts[0];
        return format(median(texts.map(parse)), texts[0]);
      }),
    );
  }
  return out.join('\n');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const files = process.argv.slice(2);
  if (files.length < 2) {
    console.error('usage: node bench/median.mjs <run-1.txt> <run-2.txt> [<run-3.txt> …]');
    process.exit(2);
  }
  console.log(medianLog(files.map((f) => readFileSync(f, 'utf8'))));
}
