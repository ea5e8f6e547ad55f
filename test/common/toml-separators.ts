/** For tests of files we write: integers or floats written with digit separators (5_683), outside of strings. */
export function digitSeparators(toml: string): string[] {
  const code = toml.replace(/"(?:[^"\\\n]|\\.)*"|'[^'\n]*'/g, '""');
  return code.match(/[+-]?\d[\d_]*_\d[\d_.eE+-]*/g) ?? [];
}
