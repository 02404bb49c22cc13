/** HTML escaping for the sandbox's pages: every piece of user text goes through `esc`. */

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function esc(text: string | number | null | undefined): string {
  return String(text ?? '').replace(/[&<>"']/g, (c) => ENTITIES[c] as string);
}

/** A trusted HTML fragment (already escaped), so templates can tell markup from text. */
export interface Html {
  readonly html: string;
}

export const raw = (html: string): Html => ({ html });

/** Tagged template: interpolated strings are escaped, `Html` values and arrays of them are inserted as is. */
export function h(strings: TemplateStringsArray, ...values: unknown[]): Html {
  let out = strings[0];
  values.forEach((v, i) => {
    out += piece(v) + strings[i + 1];
  });
  return raw(out);
}

function piece(v: unknown): string {
  if (v === null || v === undefined || v === false) return '';
  if (Array.isArray(v)) return v.map(piece).join('');
  if (typeof v === 'object' && 'html' in v && typeof (v as Html).html === 'string') return (v as Html).html;
  return esc(String(v));
}
