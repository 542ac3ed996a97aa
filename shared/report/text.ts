/**
 * The one place where text from the account (resource names, tag values, certificate domains, SSM
 * command output, AWS error messages) is made safe for where it is shown (DESIGN rule 7).
 * Renderers call these on account text only, where it enters a line: their own text (colours,
 * newlines, Markdown they write) never passes through here.
 *
 * The JSON report and the alert's JSON keep the raw data: JSON escapes it, and a reader who
 * prints it to a terminal must sanitise it there.
 */

/** What a line break inside account text becomes: visible, and never the start of a new line. */
export const NEWLINE_MARK = " ↵ ";

// Line breaks: CR LF, LF, CR, VT, FF, NEL (U+0085), LINE and PARAGRAPH SEPARATOR.
const LINE_BREAKS = /\r\n|[\n\r\v\f\u0085\u2028\u2029]/g;
// C0 controls (ESC starts clear-screen and OSC title sequences), DEL, C1 controls (U+009B is CSI,
// U+009D OSC on some terminals), and the bidi controls that reorder what is shown (Trojan Source):
// embeddings and overrides U+202A-U+202E, isolates U+2066-U+2069, marks U+200E, U+200F, U+061C.
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching them is the point
const CONTROLS = /[\u0000-\u001f\u007f-\u009f\u200e\u200f\u061c\u202a-\u202e\u2066-\u2069]/g;

/**
 * Account text for a terminal, an email or an SMS: line breaks become {@link NEWLINE_MARK}, a tab
 * a space, and every other control character or bidi control is removed.
 *
 * @example
 * plain("blog\x1b[2J\nFAKE LINE PASS ok") // "blog[2J ↵ FAKE LINE PASS ok"
 */
export function plain(text: string): string {
  return text.replace(LINE_BREAKS, NEWLINE_MARK).replace(/\t/g, " ").replace(CONTROLS, "");
}

// Everything that can start emphasis, code, a link or image, a table cell, strikethrough, math,
// a heading or an HTML entity/tag; CommonMark lets any ASCII punctuation be backslash-escaped.
const MARKDOWN_SPECIAL = /[\\`*_[\]()|~!#$]/g;
const HTML_ENTITY: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;" };

/**
 * Account text (or any text not meant as Markdown) for inline use in Markdown: a table cell, a
 * list item, a heading. {@link plain} first, then HTML's `& < >` become entities (no tag, no
 * `<autolink>`, no blockquote) and Markdown's punctuation is backslash-escaped (no emphasis, code
 * span, link, image, cell break). GFM's bare-URL autolinks are broken too (`http\://`, `www\.`),
 * so a tag value cannot turn into a clickable link.
 *
 * @example
 * markdownText("<img src=x onerror=alert(1)> [click](https://evil.example)")
 * // "&lt;img src=x onerror=alert\\(1\\)&gt; \\[click\\]\\(https\\://evil.example\\)"
 */
export function markdownText(text: string): string {
  return plain(text)
    .replace(MARKDOWN_SPECIAL, (c) => `\\${c}`)
    .replace(/[&<>]/g, (c) => HTML_ENTITY[c] ?? c)
    .replace(/:(?=\/\/)/g, "\\:")
    .replace(/\b(www)\./gi, "$1\\.");
}

const HTML_SPECIAL: Record<string, string> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#39;",
};

/**
 * Any text (account text above all) for HTML element content or a quoted attribute value:
 * {@link plain} first (no control or bidi character, line breaks made visible), then `& < > " '`
 * become entities, so it can close no tag or attribute and open none.
 *
 * @example
 * htmlText('<img src=x onerror="alert(1)">') // "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;"
 */
export function htmlText(text: string): string {
  return plain(text).replace(/[&<>"']/g, (c) => HTML_SPECIAL[c] ?? c);
}

/**
 * A fenced Markdown code block that `code` cannot close: the fence is longer than any run of
 * backticks in it. {@link plain} is not applied (a block may span lines), but controls are dropped.
 */
export function markdownCodeBlock(code: string, info = ""): string {
  const longest = Math.max(2, ...(code.match(/`+/g) ?? []).map((run) => run.length));
  const fence = "`".repeat(longest + 1);
  const body = code
    .split(/\r\n|[\n\r]/)
    .map((line) => plain(line))
    .join("\n");
  return `${fence}${info}\n${body}\n${fence}`;
}

// East Asian wide and fullwidth ranges and the common emoji blocks take two columns; combining
// marks and zero-width characters none. An approximation of wcwidth, enough to keep lines within
// the terminal.
const WIDE =
  /[\u1100-\u115f\u2e80-\u303e\u3041-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6\u{1f300}-\u{1f64f}\u{1f900}-\u{1f9ff}\u{20000}-\u{3fffd}]/u;
const ZERO_WIDTH = /\p{Mn}|\p{Me}|\u200b|\u200d|\ufe0f/u;

/** The columns `text` (without escape sequences) takes on a terminal. */
export function displayWidth(text: string): number {
  let width = 0;
  for (const ch of text) width += ZERO_WIDTH.test(ch) ? 0 : WIDE.test(ch) ? 2 : 1;
  return width;
}

/**
 * Breaks one line of text into lines of at most `width` columns (`restWidth` after the first), at
 * spaces; a word longer than a line is cut. Runs of spaces collapse to one.
 *
 * @example
 * wrap("SSH is open to the world", 10) // ["SSH is", "open to", "the world"]
 */
export function wrap(text: string, width: number, restWidth = width): string[] {
  const lines: string[] = [];
  let line = "";
  let used = 0;
  const room = () => Math.max(1, lines.length === 0 ? width : restWidth);
  const flush = () => {
    lines.push(line);
    line = "";
    used = 0;
  };
  for (const word of text.split(" ").filter((w) => w !== "")) {
    let w = displayWidth(word);
    if (used > 0 && used + 1 + w > room()) flush();
    let rest = word;
    // Too long for a whole line (so alone on it): cut it, character by character.
    while (w > room()) {
      let cut = "";
      let cutWidth = 0;
      for (const ch of rest) {
        const chWidth = displayWidth(ch);
        if (cutWidth + chWidth > room()) break;
        cut += ch;
        cutWidth += chWidth;
      }
      if (cut === "") break;
      line = cut;
      used = cutWidth;
      flush();
      rest = rest.slice(cut.length);
      w = displayWidth(rest);
    }
    if (rest === "") continue;
    line = used > 0 ? `${line} ${rest}` : rest;
    used += (used > 0 ? 1 : 0) + w;
  }
  if (line !== "" || lines.length === 0) lines.push(line);
  return lines;
}
