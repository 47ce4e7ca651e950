// TeX to SVG for the HTML book, at build time, with MathJax's own engine.
// Usage: node tex2svg.cjs <mathjax-full package dir>
// Reads a JSON list of [tex, display] pairs on stdin. Writes JSON
// {"formulas": [...], "glyphs": {...}}: for each formula its SVG markup (or
// {"error": message}), and for each glyph id the formulas use (<use
// xlink:href="#MJX-TEX-I-1D45B"/>) its <path> definition, so a page defines
// each glyph once however many formulas use it. One process serves the whole
// book, and pages ship no math JavaScript at all.
"use strict";
const path = require("path");
const root = process.argv[2];
const js = (p) => require(path.join(root, "js", p));
const { mathjax } = js("mathjax.js");
const { TeX } = js("input/tex.js");
const { SVG } = js("output/svg.js");
const { liteAdaptor } = js("adaptors/liteAdaptor.js");
const { RegisterHTMLHandler } = js("handlers/html.js");
js("input/tex/base/BaseConfiguration.js");
js("input/tex/ams/AmsConfiguration.js");
js("input/tex/newcommand/NewcommandConfiguration.js");

const adaptor = liteAdaptor();
RegisterHTMLHandler(adaptor);
// No "noundefined" package: an unknown macro is an error, not red text.
const tex = new TeX({ packages: ["base", "ams", "newcommand"] });
// fontCache "global": formulas reference shared glyph definitions by id.
const svg = new SVG({ fontCache: "global" });
const doc = mathjax.document("", { InputJax: tex, OutputJax: svg });

let input = "";
process.stdin.on("data", (chunk) => (input += chunk));
process.stdin.on("end", () => {
  const formulas = JSON.parse(input).map(([source, display]) => {
    const markup = adaptor.innerHTML(doc.convert(source, { display }));
    const error = /data-mjx-error="([^"]*)"/.exec(markup);
    // The data-* attributes feed MathJax's in-browser menus, which the book
    // does not load; without them a formula is about a third smaller.
    return error ? { error: error[1] } : markup.replace(/ data-[a-z-]+="[^"]*"/g, "");
  });
  const glyphs = {};
  for (const path of adaptor.childNodes(svg.fontCache.getCache())) {
    glyphs[adaptor.getAttribute(path, "id")] = adaptor.outerHTML(path);
  }
  process.stdout.write(JSON.stringify({ formulas, glyphs }));
});
