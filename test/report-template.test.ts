/**
 * The report's HTML template (lib/src/report/template.ts): interpolations escaped unless they are
 * SafeHtml, nesting without double escaping, arrays joined, the number formats as markup, and the
 * context's placing methods (ctx.safe) returning markup that a template keeps.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { ReportContext } from "../lib/src/report/context";
import { fixed, fmt, int, percent } from "../lib/src/report/format";
import { escapeHtml, html, joinHtml, raw, rawValues, SafeHtml, toHtml } from "../lib/src/report/template";

test("interpolated text is escaped: <, >, &, double and single quotes", () => {
  const user = `<script>alert("x")</script> & 'y'`;
  assert.equal(String(html`<p title="${user}">${user}</p>`), `<p title="&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;y&#39;">&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;y&#39;</p>`);
  assert.equal(escapeHtml("a<b>&\"'"), "a&lt;b&gt;&amp;&quot;&#39;");
});

test("the literal parts are markup as written", () => {
  assert.equal(String(html`<i>m</i> &amp; <sup>2</sup>`), "<i>m</i> &amp; <sup>2</sup>");
});

test("nested templates and raw markup are not escaped again", () => {
  const inner = html`<b>${"a & b"}</b>`;
  const outer = html`<p>${inner} ${raw("<svg></svg>")}</p>`;
  assert.equal(String(outer), "<p><b>a &amp; b</b> <svg></svg></p>");
  // Twice nested: still escaped once.
  assert.equal(String(html`${html`${html`${"<"}`}`}`), "&lt;");
  assert.ok(outer instanceof SafeHtml);
});

test("arrays are joined (each item escaped or kept), joinHtml puts a separator between", () => {
  const items = ["x<y", html`<li>${"1"}</li>`, 3];
  assert.equal(String(html`<ul>${items}</ul>`), "<ul>x&lt;y<li>1</li>3</ul>");
  assert.equal(String(joinHtml([html`<i>a</i>`, "b&c"], ", ")), "<i>a</i>, b&amp;c");
  assert.equal(String(joinHtml([1, 2], html`<br>`)), "1<br>2");
});

test("null, undefined and false give nothing; 0 and true are written", () => {
  const cond = false;
  assert.equal(String(html`[${null}${undefined}${cond && html`<b>no</b>`}${0}${true}]`), "[0true]");
});

test("toHtml keeps SafeHtml and escapes the rest; rawValues trusts a table of constants", () => {
  assert.equal(String(toHtml("<b>")), "&lt;b&gt;");
  const safe = html`<b>x</b>`;
  assert.equal(toHtml(safe), safe);
  const t = rawValues({ m: "<i>m</i>", k: "<i>k</i>" });
  assert.equal(String(html`${t.m}/${t.k}`), "<i>m</i>/<i>k</i>");
});

test("the number formats are markup: entities and <sup> survive a template", () => {
  assert.equal(String(html`${int(1234567)}`), "1&#8201;234&#8201;567");
  assert.equal(String(html`${fmt(1.5e-5)}`), "1.50&thinsp;×&thinsp;10<sup>-5</sup>");
  assert.equal(String(html`${fixed(-0.25, 2)}`), "−0.25");
  assert.equal(String(html`${percent(0.4321)}`), "43.2&nbsp;%");
  assert.equal(String(html`${fmt(Number.NaN)}`), "n/a");
});

test("ctx.safe: captions and cells escaped unless SafeHtml, placed markup and references kept", () => {
  const ctx = new ReportContext();
  ctx.beginSection("sec", "2");
  const table = ctx.safe.table("tab-a", { head: ["a<b", html`<i>m</i>`], rows: [["x&y", int(12345)]] }, html`Caption with ${"<user>"}.`);
  const s = String(table);
  assert.match(s, /<th>a&lt;b<\/th><th class="num"><i>m<\/i><\/th>/);
  assert.match(s, /<td>x&amp;y<\/td><td class="num">12&#8201;345<\/td>/);
  assert.match(s, /<span class="label">Table 1\.<\/span>Caption with &lt;user&gt;\./);
  const heading = ctx.safe.heading("sub", "A & B");
  assert.equal(String(heading), `<h3 id="sub"><span class="num">2.1</span>A &amp; B</h3>`);
  const math = ctx.safe.math("\\rho");
  assert.match(String(html`<p>${math}</p>`), /^<p><svg /);
  const page = String(html`<p>See ${ctx.safe.ref("tab-a")} and ${ctx.safe.ref("sub")}.</p>`);
  assert.equal(ctx.resolve(page), `<p>See <a href="#tab-a">Table&nbsp;1</a> and <a href="#sub">Section&nbsp;2.1</a>.</p>`);
});
