/**
 * printPdf: a report (the HTML file buildReport writes) printed to PDF with Debian's Chromium, for
 * reviewers who annotate PDFs.
 *
 * Chromium is driven through playwright-core rather than `chromium --headless --print-to-pdf`:
 * the command-line printer prints when the page has loaded (or a virtual time budget ran out) and
 * cannot run anything first, so a figure that failed would print blank without a word, and the
 * animation would print with its play buttons. Here the page is laid out for print at the paper's
 * width before plotly draws, printing waits until every figure has been drawn (an error in the page
 * stops it), the report's own `forPrint()` (see DRAW_FIGURES in html.ts) puts the animation at its
 * first frame and removes its buttons and slider, and the PDF gets page numbers and an outline.
 * Page breaks follow the report's print style sheet: no figure, table or equation split across
 * pages. Figures and equations stay vector graphics (SVG), so they are crisp at any zoom.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { pathToFileURL } from "node:url";
import { GaitidError } from "../errors";
import { writeFileAtomic } from "../provenance";

/** Where Debian's chromium package installs the browser (scripts/setup.sh installs it). */
export const DEFAULT_CHROMIUM = "/usr/bin/chromium";

/** Paper sizes, mm. */
const PAPER = { a4: { width: 210, height: 297 }, letter: { width: 215.9, height: 279.4 } } as const;

/** Page margins, mm: room at the bottom for the page number. */
const MARGIN = { top: 16, bottom: 18, left: 15, right: 15 };

/** Options of {@link printPdf}. */
export interface PrintPdfOptions {
  /** The Chromium executable (default: GAITID_CHROMIUM, else /usr/bin/chromium). */
  chromium?: string;
  /** Paper size (default a4). */
  paper?: keyof typeof PAPER;
  /** How long to wait for the page to load, and again for its figures to be drawn, ms (default 120 000). */
  timeoutMs?: number;
}

/** What printPdf wrote. */
export interface PrintedPdf {
  /** Absolute path of the PDF. */
  path: string;
  /** Number of pages. */
  pages: number;
  /** Size of the file, bytes. */
  bytes: number;
  /** Time taken, s. */
  seconds: number;
}

/** The page-number footer (Chromium fills in the spans; its default footer font is too small). */
const FOOTER =
  '<div style="width:100%;font-size:8px;color:#5c5c5c;text-align:center;font-family:serif">' +
  '<span class="title"></span> · page <span class="pageNumber"></span> of <span class="totalPages"></span></div>';

/**
 * Prints a report to PDF: `htmlFile` (made by buildReport) to `pdfFile` (written atomically, its
 * folder created). Bad input (no such report, an output that is not .pdf, no Chromium, no
 * playwright-core) is a GaitidError naming it, raised before anything is started. The page may
 * not fetch anything: every request but the report itself is refused.
 */
export async function printPdf(htmlFile: string, pdfFile: string, opts: PrintPdfOptions = {}): Promise<PrintedPdf> {
  const t0 = performance.now();
  const html = path.resolve(htmlFile), out = path.resolve(pdfFile);
  checkReport(html);
  if (!out.toLowerCase().endsWith(".pdf")) throw new GaitidError(`the PDF must be a .pdf file; got ${pdfFile}`);
  const paper = opts.paper ?? "a4";
  if (!(paper in PAPER)) throw new GaitidError(`paper must be one of ${Object.keys(PAPER).join(", ")}; got "${paper}"`);
  const executablePath = chromiumPath(opts.chromium);
  const { chromium } = await loadPlaywright();
  const browser = await chromium.launch({
    executablePath,
    args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
  });
  try {
    // The viewport is the printable width, so plotly draws each figure as wide as the page.
    const mmToPx = (mm: number): number => Math.floor((mm / 25.4) * 96);
    const width = mmToPx(PAPER[paper].width - MARGIN.left - MARGIN.right);
    const context = await browser.newContext({ viewport: { width, height: 1000 }, offline: true });
    const url = pathToFileURL(html).href;
    await context.route("**/*", (route) => (route.request().url() === url ? route.continue() : route.abort()));
    const page = await context.newPage();
    const errors: string[] = [];
    page.on("pageerror", (e) => errors.push(e.message));
    page.on("console", (m) => {
      if (m.type() === "error") errors.push(m.text());
    });
    await page.emulateMedia({ media: "print" });
    const timeout = opts.timeoutMs ?? 120_000;
    // Parsing 1.2 MB of plotly.js takes a second on a quiet machine and far longer on a busy one.
    await page.goto(url, { timeout });
    const drawn = await page
      .waitForFunction("document.body.hasAttribute('data-figures-rendered')", undefined, { timeout })
      .then(() => true, () => false);
    if (!drawn || errors.length > 0) throw new Error(`${htmlFile}: the figures were not all drawn${drawn ? "" : ` within ${timeout / 1000} s`}${errors.length ? `: ${errors.join("; ")}` : ""}`);
    // A report built before forPrint existed prints as it was drawn (its first frame, buttons hidden by the print style sheet if it has one).
    await page.evaluate("window.gaitidReport && window.gaitidReport.forPrint()");
    const pdf = await page.pdf({
      format: paper === "a4" ? "A4" : "Letter",
      margin: { top: `${MARGIN.top}mm`, bottom: `${MARGIN.bottom}mm`, left: `${MARGIN.left}mm`, right: `${MARGIN.right}mm` },
      printBackground: true,
      displayHeaderFooter: true,
      headerTemplate: "<span></span>",
      footerTemplate: FOOTER,
      outline: true,
      tagged: true,
    });
    if (errors.length > 0) throw new Error(`${htmlFile}: the page reported errors while printing: ${errors.join("; ")}`);
    writeFileAtomic(out, pdf);
    return { path: out, pages: pdfPageCount(pdf), bytes: pdf.length, seconds: (performance.now() - t0) / 1000 };
  } finally {
    await browser.close();
  }
}

/** The report must exist and be gaitid's (its figures embedded as JSON, drawn by DRAW_FIGURES). */
function checkReport(file: string): void {
  if (!file.toLowerCase().endsWith(".html")) throw new GaitidError(`the report to print must be an .html file; got ${file}`);
  if (!fs.existsSync(file)) throw new GaitidError(`no report at ${file}: build it first (gaitid report)`);
  if (!fs.readFileSync(file, "utf8").includes('id="gaitid-figures"')) throw new GaitidError(`${file} is not a report built by gaitid report (it has no embedded figures)`);
}

/** The Chromium to use; missing, a GaitidError that says how to install it. */
export function chromiumPath(explicit?: string): string {
  const exe = explicit ?? (process.env.GAITID_CHROMIUM?.trim() || DEFAULT_CHROMIUM);
  if (!fs.existsSync(exe)) {
    throw new GaitidError(
      `printing the PDF needs Chromium, and ${exe} is missing: run \`npm run setup\` (scripts/setup.sh installs Debian's chromium), ` +
        "or apt-get install -y --no-install-recommends chromium; or name another Chromium with GAITID_CHROMIUM",
    );
  }
  return exe;
}

type Playwright = typeof import("playwright-core");

/** playwright-core, loaded when a PDF is printed (a development dependency of the repository). */
async function loadPlaywright(): Promise<Playwright> {
  try {
    return await import("playwright-core");
  } catch {
    throw new GaitidError("printing the PDF needs the npm package playwright-core: run `npm install` in the repository (or npm install playwright-core)");
  }
}

/**
 * Number of pages of a PDF, counted from its bytes: the page objects (/Type /Page, not /Pages).
 * Chromium writes its page dictionaries uncompressed; a PDF that packs them into object streams
 * would count 0 here.
 */
export function pdfPageCount(pdf: Uint8Array): number {
  return (Buffer.from(pdf).toString("latin1").match(/\/Type\s*\/Page(?![a-zA-Z])/g) ?? []).length;
}
