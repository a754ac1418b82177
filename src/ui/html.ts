/**
 * HTML that is safe to send as it is: built only by `html` (which escapes every
 * interpolation) or by `trustedHtml` for constants. A plain string is never taken as markup.
 */
export class SafeHtml {
  readonly #text: string;

  constructor(text: string) {
    this.#text = text;
  }

  toString(): string {
    return this.#text;
  }
}

/** What may go between the backticks of `html`: arrays are joined, null and false vanish. */
export type HtmlValue =
  SafeHtml | string | number | bigint | boolean | null | undefined | readonly HtmlValue[];

const ESCAPES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
  '`': '&#96;',
};

/**
 * Escapes text for an element's content or a quoted attribute value (OWASP XSS rules 1 and 2).
 *
 * @example
 * escapeHtml('<script>'); // '&lt;script&gt;'
 */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"'`]/g, (char) => ESCAPES[char] ?? char);
}

/**
 * A template tag that escapes every interpolated value unless it is SafeHtml already: the
 * only way pages build markup, so an indicator, a tag or an event title from MISP always
 * shows as text. Attribute values must be quoted in the template.
 *
 * @example
 * html`<td>${indicator.value}</td>`; // '<td>&lt;script&gt;</td>' for '<script>'
 */
export function html(strings: TemplateStringsArray, ...values: readonly HtmlValue[]): SafeHtml {
  let out = strings[0] ?? '';
  values.forEach((value, index) => {
    out += render(value) + (strings[index + 1] ?? '');
  });
  return new SafeHtml(out);
}

/**
 * Markup from a constant the code holds, never from data.
 *
 * @example
 * trustedHtml('<!doctype html>');
 */
export function trustedHtml(constant: string): SafeHtml {
  return new SafeHtml(constant);
}

function render(value: HtmlValue): string {
  if (value instanceof SafeHtml) return value.toString();
  if (Array.isArray(value)) return (value as readonly HtmlValue[]).map(render).join('');
  if (value === null || value === undefined || value === false) return '';
  return escapeHtml(String(value));
}
