/**
 * Text from the user's files (scenario titles and paths, DbgPrint output of the driver, names in
 * messages) reaches terminals and the Debug Console, which act on control bytes: ESC sequences
 * repaint, retitle or hide text, and bidirectional overrides reorder what is shown. Every front end
 * passes such text through here, which shows those characters as visible escapes instead.
 */

// C0 controls except tab and newline, DEL, C1 controls, and the Unicode bidirectional controls
// (U+061C, U+200E/F, U+202A–U+202E, U+2066–U+2069).
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const UNSAFE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

function escape(ch: string): string {
  const code = ch.charCodeAt(0);
  return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
}

/** Text with tab and newline kept and every other control character shown as `\x1b` or `\u202e`. */
export function terminalSafe(text: string): string {
  return text.replace(UNSAFE, escape);
}

/**
 * JSON whose strings carry no raw control character: JSON.stringify already escapes C0 controls;
 * this escapes the rest the same way (`\u009b`), which leaves the value the same.
 */
export function jsonSafe(json: string): string {
  return json.replace(UNSAFE, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
