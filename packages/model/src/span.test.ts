import { describe, expect, it } from 'vitest';
import { LineMap, toPointer } from './span.js';

describe('LineMap', () => {
  it('maps offsets to 1-based lines and columns across LF, CRLF and CR', () => {
    const map = new LineMap('ab\ncd\r\nef\rg');
    expect(map.position(0)).toEqual({ line: 1, column: 1 });
    expect(map.position(3)).toEqual({ line: 2, column: 1 });
    expect(map.position(7)).toEqual({ line: 3, column: 1 });
    expect(map.position(10)).toEqual({ line: 4, column: 1 });
    expect(map.lineCount).toBe(4);
  });
});

describe('toPointer', () => {
  it('escapes ~ and / as RFC 6901 says', () => {
    expect(toPointer(['ClaimsSchema', 2, 'a/b~c'])).toBe('/ClaimsSchema/2/a~1b~0c');
  });
});
