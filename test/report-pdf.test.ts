// The report printed to PDF (printPdf, Debian's chromium through playwright-core): the report of a
// real tiny-preset study (generate + train, ~20 s; the report, ~15 s; printing, ~15 s) becomes a
// PDF whose page count is the one Chromium wrote, with the report's text, every figure on the same
// page as its caption, the animation at its first frame without its buttons, and figures and
// equations as vector graphics (no raster image); bad input and a missing Chromium are a
// GaitidError naming them before anything starts. The text checks use poppler's pdftotext and
// pdfinfo where installed (apt-get install poppler-utils); without them the PDF's bytes are checked.
//
// Without /usr/bin/chromium the printing tests are skipped, unless CI is set: then they fail.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { pathToFileURL } from "node:url";
import { GaitidError } from "../lib/src/errors";
import { studyLayout } from "../lib/src/layout";
import { buildReport, DEFAULT_FIGURES, type BuiltReport } from "../lib/src/report";
import { chromiumPath, pdfPageCount, printPdf, type PrintedPdf } from "../lib/src/report/pdf";
import { readStudyResults } from "../lib/src/results/read";
import { prepareStudyResults } from "../lib/src/study/prepare";
import { makeTinyStudy } from "./helpers/report-fixture";

const CHROMIUM = "/usr/bin/chromium";
const ON_CI = !["", "0", "false"].includes((process.env.CI ?? "").trim().toLowerCase());
const HAVE_CHROMIUM = fs.existsSync(CHROMIUM);
const SKIP = !HAVE_CHROMIUM && !ON_CI ? `${CHROMIUM} is missing: npm run setup (scripts/setup.sh) installs Debian's chromium` : false;
const HAVE_POPPLER = fs.existsSync("/usr/bin/pdftotext") && fs.existsSync("/usr/bin/pdfinfo");

let root = "";
let built: BuiltReport;
let printed: PrintedPdf;
let pdf: Buffer;

before(async () => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), "gaitid-pdf-"));
  await makeTinyStudy(root);
  const layout = studyLayout("tiny", root);
  prepareStudyResults(layout);
  built = await buildReport(readStudyResults(layout), { out: path.join(root, "report", "index.html"), quiet: true });
  if (HAVE_CHROMIUM) {
    printed = await printPdf(built.path, path.join(root, "report", "report.pdf"));
    pdf = fs.readFileSync(printed.path);
  }
});

after(() => {
  if (root) fs.rmSync(root, { recursive: true, force: true });
});

/** The text of one page (1-based), or of all pages, by pdftotext; whitespace collapsed. */
function pageText(file: string, page?: number): string {
  const range = page === undefined ? [] : ["-f", String(page), "-l", String(page)];
  return execFileSync("/usr/bin/pdftotext", [...range, "-enc", "UTF-8", file, "-"], { encoding: "utf8" }).replace(/\s+/g, " ");
}

/** Text of an HTML fragment (axis titles are plotly HTML: <i>x</i>, <sub>0</sub>), whitespace collapsed. */
const plain = (html: string): string => html.replace(/<[^>]+>/g, "").replace(/&nbsp;/g, " ").replace(/\s+/g, " ").trim();

test("bad input is a GaitidError naming it, before Chromium starts; nothing is written", async () => {
  const out = path.join(root, "bad", "report.pdf");
  await assert.rejects(printPdf(path.join(root, "nothing.html"), out), (e: unknown) => e instanceof GaitidError && /no report at .*nothing\.html: build it first \(gaitid report\)/.test(e.message));
  await assert.rejects(printPdf(built.path, path.join(root, "bad", "report.png")), /the PDF must be a \.pdf file; got .*report\.png/);
  const other = path.join(root, "other.html");
  fs.writeFileSync(other, "<!DOCTYPE html><title>x</title><p>not a report</p>");
  await assert.rejects(printPdf(other, out), /other\.html is not a report built by gaitid report/);
  await assert.rejects(printPdf(built.path, out, { paper: "a3" as "a4" }), /paper must be one of a4, letter; got "a3"/);
  // No Chromium: the message says how to install it.
  await assert.rejects(printPdf(built.path, out, { chromium: path.join(root, "no-chromium") }), (e: unknown) => {
    assert.ok(e instanceof GaitidError);
    assert.match(e.message, /needs Chromium, and .*no-chromium is missing: run `npm run setup` \(scripts\/setup\.sh installs Debian's chromium\)/);
    assert.match(e.message, /apt-get install -y --no-install-recommends chromium/);
    return true;
  });
  const saved = process.env.GAITID_CHROMIUM;
  process.env.GAITID_CHROMIUM = path.join(root, "elsewhere", "chromium");
  try {
    assert.throws(() => chromiumPath(), /elsewhere\/chromium is missing/);
  } finally {
    if (saved === undefined) delete process.env.GAITID_CHROMIUM;
    else process.env.GAITID_CHROMIUM = saved;
  }
  assert.equal(fs.existsSync(path.join(root, "bad")), false);
});

test("the page count is read from a PDF's page objects, not its page tree", () => {
  const fake = (pages: number): Buffer =>
    Buffer.from(`%PDF-1.4\n1 0 obj <</Type /Pages /Kids [] /Count ${pages}>> endobj\n${Array.from({ length: pages }, (_, i) => `${i + 2} 0 obj <</Type /Page /Parent 1 0 R>> endobj`).join("\n")}\n%%EOF\n`, "latin1");
  assert.equal(pdfPageCount(fake(3)), 3);
  assert.equal(pdfPageCount(fake(0)), 0);
  assert.equal(pdfPageCount(Buffer.from("<</Type/Page/Parent 1 0 R>><</Type/Pages>>", "latin1")), 1);
});

test("the report prints to a PDF: its pages, its text, page numbers, vector figures", { skip: SKIP, timeout: 180_000 }, () => {
  if (!HAVE_CHROMIUM) assert.fail(`CI is set but ${CHROMIUM} is missing: npm run setup (scripts/setup.sh) installs it`);
  assert.equal(printed.path, path.join(root, "report", "report.pdf"));
  assert.equal(printed.bytes, pdf.length);
  assert.equal(pdf.subarray(0, 5).toString("latin1"), "%PDF-");
  assert.match(pdf.subarray(-32).toString("latin1"), /%%EOF\s*$/);
  assert.deepEqual(fs.readdirSync(path.dirname(printed.path)).sort(), ["index.html", "report.pdf"], "no temporary file left beside it");
  // Nine figures, the derivation's equations and the tables take more than a few pages.
  assert.ok(printed.pages >= 6, `${printed.pages} pages`);
  assert.equal(printed.pages, pdfPageCount(pdf));
  // Figures and equations are SVG in the page and stay vectors: not one raster image in the PDF.
  assert.equal((pdf.toString("latin1").match(/\/Subtype\s*\/Image/g) ?? []).length, 0, "a raster image in the PDF");
  // Markers with opacity are drawn as plain paths, not one transparency group per point.
  assert.ok((pdf.toString("latin1").match(/\/Subtype\s*\/Form/g) ?? []).length < 50, "transparency groups per marker");
  if (!HAVE_POPPLER) {
    console.log("# poppler-utils (pdftotext, pdfinfo) is not installed: the PDF's text is not checked");
    return;
  }
  const info = execFileSync("/usr/bin/pdfinfo", [printed.path], { encoding: "utf8" });
  assert.equal(Number(/^Pages:\s+(\d+)/m.exec(info)?.[1]), printed.pages, "pdfinfo's page count");
  assert.match(info, /^Title:\s+gaitid report \(tiny\): identifiability of gait parameters$/m);
  assert.match(info, /^Page size:\s+595\.\d+ x 842\.\d+ pts \(A4\)/m);
  const text = pageText(printed.path);
  const html = fs.readFileSync(built.path, "utf8");
  const title = plain(/<h1>([\s\S]*?)<\/h1>/.exec(html)?.[1] ?? "");
  assert.ok(title.length > 20 && text.includes(title.split(" ").slice(0, 6).join(" ")), `the title "${title}"`);
  assert.match(text, /built with the tiny preset \(400 records/, "the summary's text");
  for (let i = 1; i <= DEFAULT_FIGURES.length; i++) assert.ok(text.includes(`Figure ${i}.`), `caption of Figure ${i}`);
  assert.ok(pageText(printed.path, printed.pages).includes(`page ${printed.pages} of ${printed.pages}`), "page numbers in the footer");
});

test("no figure is split from its caption: a label at the foot of each plot is on its caption's page", { skip: SKIP || (!HAVE_POPPLER && "poppler-utils (pdftotext) is not installed"), timeout: 60_000 }, () => {
  const html = fs.readFileSync(built.path, "utf8");
  const start = html.indexOf('id="gaitid-figures">') + 'id="gaitid-figures">'.length;
  type Layout = Record<string, { title?: { text?: string } }> & { annotations?: { text?: string }[] };
  const figures = JSON.parse(html.slice(start, html.indexOf("</script>", start))) as { id: string; layout: Layout }[];
  // An x-axis title (the plot's foot), else a panel title; an SVG is never split, so the rest of the plot is on that page too.
  const labelOf = (l: Layout): string =>
    [...Object.keys(l).filter((k) => /^xaxis\d*$/.test(k)).map((k) => l[k].title?.text ?? ""), ...(l.annotations ?? []).map((a) => a.text ?? "")].map(plain).find((t) => t.length > 3) ?? "";
  const pages = Array.from({ length: printed.pages }, (_, i) => pageText(printed.path, i + 1).replace(/ /g, ""));
  figures.forEach((f, i) => {
    const captionPage = pages.findIndex((p) => p.includes(`Figure${i + 1}.`));
    assert.ok(captionPage >= 0, `caption of Figure ${i + 1}`);
    const title = labelOf(f.layout).replace(/ /g, "");
    assert.ok(title.length > 3, `${f.id} has an x-axis title or a panel title`);
    assert.ok(pages[captionPage].includes(title), `${f.id}: "${title}" is not on page ${captionPage + 1} with its caption`);
  });
});

test("for print, the walk animation shows its first frame without buttons or slider, even after playing", { skip: SKIP, timeout: 120_000 }, async () => {
  if (HAVE_POPPLER) {
    // The buttons' labels are not printed (a caption may still name them, unless screen-only).
    const text = pageText(printed.path);
    const html = fs.readFileSync(built.path, "utf8");
    const article = html.slice(html.indexOf("<article>"), html.indexOf("</article>"));
    const prose = plain(article.replace(/<span class="screen-only">[\s\S]*?<\/span>/g, ""));
    const count = (s: string, label: string): number => s.split(label).length - 1;
    assert.equal(count(text, "❚❚ Pause"), count(prose, "❚❚ Pause"), "the pause button is in the PDF");
    assert.equal(count(text, "▶ Play"), count(prose, "▶ Play"), "the play button is in the PDF");
  }
  // The page's own forPrint (what printPdf calls), after the animation has played for a while.
  const { chromium } = await import("playwright-core");
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ["--no-sandbox", "--disable-gpu"] });
  try {
    const page = await browser.newPage({ viewport: { width: 680, height: 900 } });
    await page.goto(pathToFileURL(built.path).href);
    await page.waitForSelector(`body[data-figures-rendered="${built.figures}"]`, { timeout: 60_000 });
    const massX = (): Promise<number> => page.evaluate('document.getElementById("plot-fig-walk").data[5].x[0]') as Promise<number>;
    const x0 = await massX();
    await page.locator("#plot-fig-walk .updatemenu-button").first().click();
    await page.waitForTimeout(600);
    assert.ok((await massX()) > x0 + 0.1, "the animation played");
    await page.evaluate("window.gaitidReport.forPrint()");
    assert.equal(await massX(), x0, "the mass is back where the first frame has it");
    assert.equal(await page.locator("#plot-fig-walk .updatemenu-container .updatemenu-button").count(), 0, "play buttons left");
    assert.equal(await page.locator("#plot-fig-walk .slider-container .slider-rail-rect").count(), 0, "slider left");
    // Markers keep their look: opacity moved into the fill.
    const op = (await page.evaluate('[...document.querySelectorAll("figure .plot path.point")].map((e) => [getComputedStyle(e).opacity, getComputedStyle(e).fillOpacity])')) as string[][];
    assert.ok(op.length > 100 && op.every(([o]) => o === "1"), "marker opacity flattened");
    assert.ok(op.some(([, f]) => Number(f) > 0.5 && Number(f) < 0.6), "a semi-transparent marker keeps its 0.55");
  } finally {
    await browser.close();
  }
});
