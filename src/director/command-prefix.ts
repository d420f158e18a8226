/**
 * `--director CMD`: the prefix the harness runs `ipvsadm` and `sysctl` through, split into words as
 * a POSIX shell would split it (quotes and backslashes respected), so it runs without a shell:
 * `ssh -o 'ProxyJump bastion' root@lvs1` is four words. `local` is no prefix at all.
 */
import { createBadArgumentError } from '../core/errors.js';

export function splitCommandPrefix(text: string): string[] {
  if (text.trim() === 'local') return [];
  const words: string[] = [];
  // Null between words; '' is a word already begun (`''` is an empty word).
  let word: string | null = null;
  const add = (chars: string): void => {
    word = (word ?? '') + chars;
  };
  let quote: "'" | '"' | null = null;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quote === "'") {
      if (c === "'") quote = null;
      else add(c);
    } else if (quote === '"') {
      if (c === '"') quote = null;
      // Inside double quotes a backslash escapes only these, as in sh.
      else if (c === '\\' && i + 1 < text.length && '"\\$`'.includes(text[i + 1]!)) add(text[++i]!);
      else add(c);
    } else if (c === "'" || c === '"') {
      quote = c;
      add('');
    } else if (c === '\\') {
      if (i + 1 === text.length) throw createBadArgumentError('--director', 'a command prefix that does not end in a lone backslash');
      add(text[++i]!);
    } else if (/\s/.test(c)) {
      if (word !== null) words.push(word);
      word = null;
    } else {
      add(c);
    }
  }
  if (quote !== null) throw createBadArgumentError('--director', `a command prefix with its ${quote} quote closed (${text})`);
  if (word !== null) words.push(word);
  if (words.length === 0) throw createBadArgumentError('--director', "a command prefix (`ssh root@lvs1`, `ip netns exec director`) or `local`");
  return words;
}
