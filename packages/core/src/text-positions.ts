/**
 * Conversion of character offsets in a text to 1-based line and column
 * numbers.
 *
 * @packageDocumentation
 */

/** A position in a text; line and column count from 1, columns in UTF-16 code units. */
export interface TextPosition {
  line: number;
  column: number;
}

/**
 * Returns a function mapping a 0-based character offset of `text` to its
 * 1-based line and column. Line breaks are `\n`, `\r\n` or a lone `\r`. The
 * line index is built on the first call.
 */
export function positionFinder(text: string): (offset: number) => TextPosition {
  let starts: number[] | undefined;
  return (offset) => {
    if (!starts) {
      starts = [0];
      for (let i = 0; i < text.length; i++) {
        const c = text.charCodeAt(i);
        if (c === 10) starts.push(i + 1);
        else if (c === 13 && text.charCodeAt(i + 1) !== 10) starts.push(i + 1);
      }
    }
    // last line start <= offset (binary search)
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: offset - starts[lo]! + 1 };
  };
}
