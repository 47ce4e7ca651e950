// TeX to SVG for the HTML book, at build time, with MathJax's own engine.
// Usage: node tex2svg.cjs <mathjax-full package dir>
// Reads a JSON list of [tex, display] pairs on stdin; writes a JSON list with,
// for each, the SVG markup or {"error": message}. One process serves the whole
// book, so pages ship no math JavaScript at all.
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
// fontCache "none": each SVG carries its own glyph paths and stands alone.
const svg = new SVG({ fontCache: "none" });
const doc = mathjax.document("", { InputJax: tex, OutputJax: svg });

let input = "";
process.stdin.on("data", (chunk) => (input += chunk));
process.stdin.on("end", () => {
  const out = JSON.parse(input).map(([source, display]) => {
    const markup = adaptor.innerHTML(doc.convert(source, { display }));
    const error = /data-mjx-error="([^"]*)"/.exec(markup);
    return error ? { error: error[1] } : markup;
  });
  process.stdout.write(JSON.stringify(out));
});
