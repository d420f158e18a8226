/**
 * How every probe and the bench name a real server from text (a body, a banner, a greeting, a file):
 * group 1 of the suite's regex, or the whole match when it has no group; trimmed; null if absent.
 */
export function capturedName(re: RegExp, text: string): string | null {
  const m = re.exec(text);
  return (m?.[1] ?? m?.[0])?.trim() || null;
}
