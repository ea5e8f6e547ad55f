/**
 * docs/guides/write-a-profile.md read as a test script: its fenced blocks by section, and its
 * `$ yiwang-edge …` command lines with the output the guide shows under each.
 */

export interface GuideBlock {
  section: number;
  at: number;
  lang: string;
  text: string;
}
export interface GuideCommand {
  section: number;
  at: number;
  line: string;
  argv: string[];
  output: string[];
}

/** Every fenced block with its language and the number of the `## N.` section it is in. */
export function guideBlocks(md: string): GuideBlock[] {
  const out: GuideBlock[] = [];
  const heads = [...md.matchAll(/^## (\d+)\./gm)].map((m) => ({ at: m.index!, n: Number(m[1]) }));
  for (const m of md.matchAll(/^```([a-z]*)\n([\s\S]*?)^```$/gm)) {
    const section = heads.filter((h) => h.at < m.index!).pop()?.n ?? 0;
    out.push({ section, at: m.index!, lang: m[1]!, text: m[2]! });
  }
  return out;
}

/** Splits a command line as a POSIX shell would for plain words and "double-quoted" ones. */
export function shellWords(line: string): string[] {
  const words: string[] = [];
  for (const m of line.matchAll(/"([^"]*)"|(\S+)/g)) words.push(m[1] ?? m[2]!);
  return words;
}

/** The `$ yiwang-edge …` lines of the untyped blocks, each with the lines shown under it. */
export function guideCommands(blocks: readonly GuideBlock[]): GuideCommand[] {
  const out: GuideCommand[] = [];
  for (const b of blocks.filter((x) => x.lang === '')) {
    let cur: GuideCommand | undefined;
    for (const line of b.text.split('\n')) {
      if (line.startsWith('$ ')) {
        cur = { section: b.section, at: b.at, line: line.slice(2), argv: shellWords(line.slice(2)), output: [] };
        out.push(cur);
      } else if (cur && line !== '') cur.output.push(line);
    }
  }
  return out;
}

const ISO = /\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z/g;

/** Output as compared: lines without trailing blanks, times and loopback ports masked. */
export function normalise(text: string): string {
  return text
    .split('\n')
    .map((l) => l.trimEnd())
    .join('\n')
    .replace(ISO, '<time>')
    .replace(/127\.0\.0\.1:\d+/g, '127.0.0.1:<port>')
    .trimEnd();
}

/** The guide's output lines as a pattern: `…` stands for any text, times and ports as normalise masks them. */
export function outputPattern(lines: readonly string[]): RegExp {
  const esc = normalise(lines.join('\n'))
    .split('…')
    .map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  return new RegExp(`^${esc.join('.*')}$`);
}
