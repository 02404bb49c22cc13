/**
 * GitHub-flavoured Markdown for issue, PR and comment bodies, rendered with markdown-it (tables,
 * strikethrough, autolinks) plus task lists. Raw HTML in a body never reaches the page as written:
 * comments are dropped (GitHub hides them), a small allow-list of GitHub's tags (details, summary, sub,
 * kbd, …) is re-emitted without attributes, and every other tag is shown escaped.
 */
import MarkdownIt, { type MarkdownIt as Md } from 'markdown-it';
import type { Token } from 'markdown-it';
import { esc } from './escape.ts';

/** Tags GitHub keeps in user content that are safe without attributes. */
const ALLOWED_TAGS = new Set([
  'details', 'summary', 'sub', 'sup', 'kbd', 'b', 'i', 'em', 'strong', 'code', 'pre', 'p', 'br', 'hr',
  'ins', 'del', 's', 'strike', 'blockquote', 'ul', 'ol', 'li', 'dl', 'dt', 'dd', 'table', 'thead', 'tbody',
  'tr', 'th', 'td', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'samp', 'var', 'tt', 'small', 'mark', 'abbr',
]);
const VOID_TAGS = new Set(['br', 'hr']);
const PIECE = /<!--[\s\S]*?(?:-->|$)|<(\/?)([A-Za-z][A-Za-z0-9-]*)((?:[^>"']|"[^"]*"|'[^']*')*)>/g;
const ENTITY = /&(?:#[0-9]{1,7}|#x[0-9A-Fa-f]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});/g;

/** Raw HTML from a body, reduced to allow-listed tags without attributes; the rest escaped. */
export function sanitizeHtml(input: string): string {
  let out = '';
  let last = 0;
  for (const m of input.matchAll(PIECE)) {
    out += escapeText(input.slice(last, m.index));
    last = m.index + m[0].length;
    if (m[0].startsWith('<!--')) continue; // hidden, as on GitHub
    const closing = m[1] === '/';
    const tag = m[2].toLowerCase();
    if (!ALLOWED_TAGS.has(tag)) {
      out += esc(m[0]);
      continue;
    }
    // `<details open>` is the one attribute worth keeping; no other attribute survives.
    const open = tag === 'details' && !closing && /(^|\s)open(\s|=|$)/i.test(m[3]) ? ' open' : '';
    out += closing ? (VOID_TAGS.has(tag) ? '' : `</${tag}>`) : `<${tag}${open}>`;
  }
  return out + escapeText(input.slice(last));
}

/** Escapes text but keeps well-formed character references (`&nbsp;`, `&#39;`). */
function escapeText(text: string): string {
  let out = '';
  let last = 0;
  for (const m of text.matchAll(ENTITY)) {
    out += esc(text.slice(last, m.index)) + m[0];
    last = m.index + m[0].length;
  }
  return out + esc(text.slice(last));
}

const TASK = /^\[([ xX])\]\s+/;

function createRenderer(): Md {
  const md = new MarkdownIt({ html: true, linkify: true, breaks: true });
  md.renderer.rules.html_block = (tokens, idx) => sanitizeHtml(tokens[idx].content);
  md.renderer.rules.html_inline = (tokens, idx) => sanitizeHtml(tokens[idx].content);
  const link = md.renderer.rules.link_open ?? ((tokens, idx, options, _env, self) => self.renderToken(tokens, idx, options));
  md.renderer.rules.link_open = (tokens, idx, options, env, self) => {
    tokens[idx].attrSet('rel', 'nofollow noopener');
    return link(tokens, idx, options, env, self);
  };
  // Autolinks end before trailing punctuation, as on GitHub: "see https://x/pull/1: it broke" links .../pull/1.
  md.core.ruler.after('linkify', 'autolink_trailing_punctuation', (state) => {
    for (const block of state.tokens) {
      const children = block.children;
      if (block.type !== 'inline' || !children) continue;
      for (let i = 0; i + 2 < children.length; i++) {
        const [open, text, close] = [children[i], children[i + 1], children[i + 2]];
        if (open.type !== 'link_open' || open.markup !== 'linkify' || text.type !== 'text' || close.type !== 'link_close') continue;
        const m = /[:;,.!?]+$/.exec(text.content);
        const href = String(open.attrGet('href') ?? '');
        if (!m || !href.endsWith(m[0]) || text.content.length === m[0].length) continue;
        text.content = text.content.slice(0, -m[0].length);
        open.attrSet('href', href.slice(0, -m[0].length));
        const rest = new state.Token('text', '', 0);
        rest.content = m[0];
        children.splice(i + 3, 0, rest);
      }
    }
  });
  // Task lists: a list item whose text starts with `[ ]` or `[x]` gets a disabled checkbox.
  md.core.ruler.push('task_lists', (state) => {
    const tokens = state.tokens;
    for (let i = 2; i < tokens.length; i++) {
      if (tokens[i].type !== 'inline' || tokens[i - 1].type !== 'paragraph_open' || tokens[i - 2].type !== 'list_item_open') continue;
      const first = tokens[i].children?.[0];
      const m = first?.type === 'text' ? TASK.exec(first.content) : null;
      if (!first || !m) continue;
      first.content = first.content.slice(m[0].length);
      const box = new state.Token('task_checkbox', '', 0);
      box.meta = { checked: m[1] !== ' ' };
      tokens[i].children!.unshift(box);
      tokens[i - 2].attrJoin('class', 'task-list-item');
    }
  });
  md.renderer.rules.task_checkbox = (tokens: Token[], idx: number) =>
    `<input type="checkbox" class="task-list-item-checkbox" disabled${(tokens[idx].meta as { checked: boolean }).checked ? ' checked' : ''}> `;
  return md;
}

const renderer = createRenderer();

export function renderMarkdown(source: string | null): string {
  if (!source?.trim()) return '<p class="empty"><em>No description provided.</em></p>';
  return renderer.render(source);
}
