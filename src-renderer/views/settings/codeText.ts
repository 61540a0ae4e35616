// A sentence with commands or paths in it: each one is marked as `code` and drawn in <code>.
const codeStart = '\u0001';
const codeEnd = '\u0002';

/** Marks a command, a path or a variable name inside a translated sentence. */
export const code = (text: string) => `${codeStart}${text}${codeEnd}`;

/** The sentence cut into plain text and the parts marked with `code`. */
export function segments(sentence: string): Array<{ text: string; code: boolean }> {
  return sentence
    .split(codeStart)
    .flatMap((part, i) => {
      if (i === 0) return [{ text: part, code: false }];
      const [inside = '', after = ''] = part.split(codeEnd);
      return [{ text: inside, code: true }, { text: after, code: false }];
    })
    .filter((s) => s.text !== '');
}
