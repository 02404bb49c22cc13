/** The frame of every sandbox page: a header naming the sandbox, breadcrumbs, styles; no scripts. */
import { h, raw, type Html } from './escape.ts';

const STYLE = `
body{font:14px/1.5 system-ui,-apple-system,"Segoe UI",sans-serif;margin:0;color:#1f2328;background:#fff}
header.top{background:#24292f;color:#fff;padding:.6em 2em;display:flex;gap:1em;align-items:center}
header.top a{color:#fff;text-decoration:none;font-weight:600}header.top .who{margin-left:auto;font-weight:400;opacity:.8}
main{max-width:1012px;margin:1.5em auto;padding:0 1em}
a{color:#0969da}h1{font-size:1.6em;font-weight:400;margin:.2em 0}h1 .num{color:#656d76}
.crumbs{font-size:1.1em;margin-bottom:.5em}.crumbs a{font-weight:600}
.state{display:inline-block;border-radius:2em;padding:.2em .9em;color:#fff;font-weight:500;margin-right:.5em}
.state.open{background:#1f883d}.state.closed{background:#cf222e}.state.merged{background:#8250df}.state.draft{background:#6e7781}
.meta{color:#656d76}.box{border:1px solid #d0d7de;border-radius:6px;margin:1em 0}
.box>.head{background:#f6f8fa;border-bottom:1px solid #d0d7de;padding:.5em 1em;border-radius:6px 6px 0 0;color:#656d76}
.box>.body{padding:.5em 1em}.markdown-body table{border-collapse:collapse}.markdown-body td,.markdown-body th{border:1px solid #d0d7de;padding:.3em .8em}
.markdown-body pre,.diff{background:#f6f8fa;padding:.8em;border-radius:6px;overflow:auto}.markdown-body code{background:#eff1f3;padding:.1em .3em;border-radius:4px}
.markdown-body pre code{background:none;padding:0}.task-list-item{list-style:none}.task-list-item input{margin:0 .3em 0 -1.4em}
table.list{border-collapse:collapse;width:100%}table.list td,table.list th{border-top:1px solid #d0d7de;padding:.4em .6em;text-align:left;vertical-align:top}
.check.success{color:#1a7f37}.check.failure{color:#cf222e}.check.pending{color:#9a6700}
.merge.clean{border-left:4px solid #1f883d}.merge.blocked,.merge.dirty{border-left:4px solid #cf222e}.merge.merged{border-left:4px solid #8250df}.merge.unknown,.merge.unstable,.merge.behind,.merge.draft{border-left:4px solid #9a6700}
.diff{font:12px/1.4 ui-monospace,monospace;white-space:pre;margin:0}.diff .add{background:#dafbe1;display:block}.diff .del{background:#ffebe9;display:block}.diff .hunk{color:#8250df;display:block}
.sha{font-family:ui-monospace,monospace}.empty{color:#656d76}.label{border:1px solid #d0d7de;border-radius:2em;padding:0 .6em;font-size:.85em;margin-left:.3em}
`;

export interface Crumb {
  readonly text: string;
  readonly href?: string;
}

export function page(p: { title: string; crumbs?: readonly Crumb[]; viewer: string | null; body: Html }): string {
  const crumbs = (p.crumbs ?? []).map((c, i) => h`${i > 0 ? ' / ' : ''}${c.href ? h`<a href="${c.href}">${c.text}</a>` : c.text}`);
  return `<!doctype html>\n${h`<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width"><title>${p.title}</title>
<style>${raw(STYLE)}</style></head><body>
<header class="top"><a href="/">GitHub sandbox</a><span class="who">${p.viewer ? h`signed in as ${p.viewer}` : 'read-only · not signed in'}</span></header>
<main>${crumbs.length ? h`<div class="crumbs">${crumbs}</div>` : ''}${p.body}</main>
</body></html>
`.html}`;
}

export function notFoundPage(viewer: string | null, what = 'This is not the web page you are looking for.'): string {
  return page({ title: 'Page not found · GitHub sandbox', viewer, body: h`<h1>404</h1><p>${what}</p>` });
}
