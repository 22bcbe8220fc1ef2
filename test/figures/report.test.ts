import { execFileSync, execSync } from "node:child_process"
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { JSDOM } from "jsdom"
import { afterAll, assert, beforeAll, describe, it } from "vitest"
import { escapeHtml, renderReport } from "../../src/figures/index.js"
import { decodePng } from "./png.js"
import { sampleReport } from "./sampleReport.js"

const parse = (html: string) => new JSDOM(html).window.document

describe("renderReport", () => {
  it("escapes every piece of text it is given", () => {
    assert.strictEqual(escapeHtml(`<a href="x">&'`), "&lt;a href=&quot;x&quot;&gt;&amp;&#39;")
    const html = renderReport({
      title: "<script>alert(1)</script>",
      sections: [
        {
          heading: "a & b",
          keyNumbers: [{ label: "<b>", value: 1 }],
          figures: [],
          tables: [{ caption: "t", columns: ["<c>"], rows: [["<d>", 2]] }]
        }
      ],
      provenance: [{ stage: "<s>", key: "k", params: { x: "</code>" } }]
    })
    assert.notInclude(html, "<script>")
    assert.notInclude(html, "<b>")
    assert.notInclude(html, "<c>")
    assert.notInclude(html, "<d>")
    assert.notInclude(html, "<s>")
    assert.include(html, "&lt;/code&gt;")
    assert.strictEqual(parse(html).querySelector("h1")!.textContent, "<script>alert(1)</script>")
  })

  it("numbers the figures, lists key numbers and one provenance row per stage, loads nothing external", () => {
    const html = sampleReport()
    const doc = parse(html)
    const figures = [...doc.querySelectorAll("figure")]
    assert.strictEqual(figures.length, 21)
    assert.strictEqual(doc.querySelectorAll("figure > svg").length, 21)
    assert.match(figures[20]!.querySelector("figcaption")!.textContent!, /^Figure 21\. /)
    assert.strictEqual(doc.querySelectorAll(".key-number").length, 3)
    assert.strictEqual(doc.querySelector(".key-number .value")!.textContent, "0.1234a.u.")
    assert.strictEqual(doc.querySelectorAll("table.provenance tbody tr").length, 2)
    assert.strictEqual(doc.querySelector("table.provenance code")!.getAttribute("title"), "a".repeat(64))
    const params = doc.querySelectorAll("table.provenance tbody tr")[0]!.querySelectorAll("td")[2]!.textContent
    assert.strictEqual(params, 'rule="three-factor", trainTrials=260')
    assert.strictEqual(doc.querySelectorAll("script, link, img, iframe").length, 0)
    assert.notMatch(html, /(src|href)=|url\(/)
    assert.notInclude(html, "NaN")
  })
})

// Headless Chromium renders the sample report; the screenshot must show the figures.
const chromium = "/usr/bin/chromium"
let available = existsSync(chromium)
let why = ""
let dir = ""

describe("report in headless Chromium", () => {
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), "report-chromium-"))
    if (available) return
    try {
      execSync("apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y chromium", {
        stdio: "ignore",
        timeout: 900_000
      })
      available = existsSync(chromium)
      if (!available) why = "apt-get ran but installed no /usr/bin/chromium"
    } catch (e) {
      why = `cannot install chromium (apt-get install -y chromium failed: ${(e as Error).message.split("\n")[0]})`
    }
  }, 900_000)

  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true })
  })

  it("renders a non-blank page with the figures' colours", (ctx) => {
    if (!available) {
      console.warn(`skipping the Chromium screenshot test: ${why}`)
      ctx.skip()
    }
    const html = join(dir, "report.html")
    const png = join(dir, "report.png")
    writeFileSync(html, sampleReport())
    execFileSync(
      chromium,
      [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        `--user-data-dir=${join(dir, "profile")}`,
        `--screenshot=${png}`,
        "--window-size=1200,3000",
        `file://${html}`
      ],
      { stdio: "ignore", timeout: 90_000 }
    )
    const image = decodePng(readFileSync(png))
    assert.strictEqual(image.width, 1200)
    assert.strictEqual(image.height, 3000)
    let ink = 0
    let blue = 0
    for (let p = 0; p < image.width * image.height; p++) {
      const [r, g, b] = [image.pixels[p * 4]!, image.pixels[p * 4 + 1]!, image.pixels[p * 4 + 2]!]
      if (r < 200 || g < 200 || b < 200) ink++
      // Okabe–Ito blue #0072B2, the first series colour of most figures
      if (Math.abs(r - 0x00) < 24 && Math.abs(g - 0x72) < 24 && Math.abs(b - 0xb2) < 24) blue++
    }
    const share = ink / (image.width * image.height)
    assert.isAbove(share, 0.02, `only ${(share * 100).toFixed(2)}% of the page is drawn`)
    assert.isAbove(blue, 2000, "the figures' series colour is (almost) absent: were the SVGs rendered?")
  })
})
