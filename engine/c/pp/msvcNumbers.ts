/**
 * MSVC's sized integer suffixes (`0i64`, `5ui64`, `7i32`), which the C grammar reads only after
 * some digits: each is written as the standard suffix of the same type (i64 is long long, the
 * smaller ones int) before parsing.
 */
const SIZED = /^(0[xX][0-9a-fA-F]+|[0-9]+)(u?)i(8|16|32|64)$/i;

export function standardIntegerSuffix(text: string): string {
  const m = SIZED.exec(text);
  if (!m) return text;
  return `${m[1]}${m[2] ? 'U' : ''}${m[3] === '64' ? 'LL' : ''}`;
}
