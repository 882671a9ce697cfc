/**
 * Where a JSON text breaks. JSON.parse says what is wrong but not always where (V8 often gives neither line nor
 * position), so on failure this small scanner walks the text again and reports the first offending character as
 * `Unexpected token 'x' at line 3 column 7`. It runs only after JSON.parse failed.
 */

export interface JsonSyntaxProblem {
  message: string;
  line: number;
  column: number;
  offset: number;
}

class Stop {
  constructor(
    readonly offset: number,
    readonly what: string,
  ) {}
}

function scan(s: string): Stop | undefined {
  let i = 0;
  const ws = () => {
    while (i < s.length && (s[i] === ' ' || s[i] === '\t' || s[i] === '\n' || s[i] === '\r')) i++;
  };
  const unexpected = (): Stop => {
    if (i >= s.length) return new Stop(i, 'Unexpected end of JSON input');
    const word = /^[A-Za-z_$][\w$]*/.exec(s.slice(i, i + 40));
    return new Stop(i, `Unexpected token '${word ? word[0] : s[i]}'`);
  };
  const literal = (word: string) => {
    if (s.startsWith(word, i)) i += word.length;
    else throw unexpected();
  };
  const string = () => {
    i++; // opening quote
    for (;;) {
      if (i >= s.length) throw new Stop(i, 'Unterminated string');
      const c = s.charCodeAt(i);
      if (c === 0x22) {
        i++;
        return;
      }
      if (c < 0x20) throw new Stop(i, 'Bad control character in string');
      if (c === 0x5c) {
        i++;
        const e = s[i];
        if (e === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(s.slice(i + 1, i + 5))) throw new Stop(i, 'Bad Unicode escape');
          i += 5;
        } else if (e !== undefined && '"\\/bfnrt'.includes(e)) i++;
        else throw new Stop(i, 'Bad escaped character');
      } else i++;
    }
  };
  const number = () => {
    const m = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/.exec(s.slice(i, i + 400));
    if (!m) throw unexpected();
    i += m[0].length;
  };
  const value = (depth: number): void => {
    if (depth > 1000) throw new Stop(i, ''); // too deep to walk here: JSON.parse's own message is used
    ws();
    const c = s[i];
    if (c === '{') {
      i++;
      ws();
      if (s[i] === '}') {
        i++;
        return;
      }
      for (;;) {
        ws();
        if (s[i] !== '"') throw i >= s.length ? unexpected() : new Stop(i, `Expected double-quoted property name, found '${s[i]}'`);
        string();
        ws();
        if (s[i] !== ':') throw i >= s.length ? unexpected() : new Stop(i, `Expected ':' after property name, found '${s[i]}'`);
        i++;
        value(depth + 1);
        ws();
        if (s[i] === ',') {
          i++;
          continue;
        }
        if (s[i] === '}') {
          i++;
          return;
        }
        throw unexpected();
      }
    }
    if (c === '[') {
      i++;
      ws();
      if (s[i] === ']') {
        i++;
        return;
      }
      for (;;) {
        value(depth + 1);
        ws();
        if (s[i] === ',') {
          i++;
          continue;
        }
        if (s[i] === ']') {
          i++;
          return;
        }
        throw unexpected();
      }
    }
    if (c === '"') return string();
    if (c === 't') return literal('true');
    if (c === 'f') return literal('false');
    if (c === 'n') return literal('null');
    if (c === '-' || (c !== undefined && c >= '0' && c <= '9')) return number();
    throw unexpected();
  };
  try {
    value(0);
    ws();
    if (i < s.length) return new Stop(i, `Unexpected non-whitespace character '${s[i]}' after JSON`);
    return undefined;
  } catch (e) {
    if (e instanceof Stop) return e;
    throw e;
  }
}

/** Line and column (1-based) of an offset. */
export function lineColumn(s: string, offset: number): { line: number; column: number } {
  let line = 1;
  let start = 0;
  for (let k = s.indexOf('\n'); k !== -1 && k < offset; k = s.indexOf('\n', k + 1)) {
    line++;
    start = k + 1;
  }
  return { line, column: offset - start + 1 };
}

/** Locates the syntax error of a text JSON.parse rejected; `fallback` is JSON.parse's own message. */
export function locateJsonError(s: string, fallback: string): JsonSyntaxProblem {
  const stop = scan(s);
  if (!stop || !stop.what) return { message: fallback, line: 0, column: 0, offset: -1 };
  const { line, column } = lineColumn(s, stop.offset);
  return { message: `${stop.what} at line ${line} column ${column}`, line, column, offset: stop.offset };
}
