// Renders the page's ```{mermaid} diagrams with the copy of mermaid served
// from this book (no CDN), one diagram at a time, and again in the matching
// colours whenever the reader switches Furo between light, dark and auto.
import mermaid from "./mermaid/dist/mermaid.esm.min.mjs";

const diagrams = [...document.querySelectorAll("pre.mermaid")];
for (const el of diagrams) {
  el.dataset.source = el.textContent;
}

function isDark() {
  const chosen = document.body.dataset.theme; // Furo: "light", "dark" or "auto"
  if (chosen === "dark") return true;
  if (chosen === "light") return false;
  return window.matchMedia("(prefers-color-scheme: dark)").matches;
}

let queue = Promise.resolve();
let renderedDark = null;

function renderAll() {
  // Chained, never concurrent: mermaid lays out in shared scratch elements.
  queue = queue.then(async () => {
    const dark = isDark();
    if (dark === renderedDark) return;
    renderedDark = dark;
    mermaid.initialize({ startOnLoad: false, theme: dark ? "dark" : "default" });
    for (const [i, el] of diagrams.entries()) {
      try {
        const { svg } = await mermaid.render(`sb-mermaid-${i}`, el.dataset.source);
        el.innerHTML = svg;
        el.dataset.rendered = "true";
      } catch (err) {
        el.dataset.rendered = "error";
        console.error(`mermaid diagram ${i + 1} failed to render`, err);
      }
    }
  });
}

renderAll();
new MutationObserver(renderAll).observe(document.body, { attributeFilter: ["data-theme"] });
window.matchMedia("(prefers-color-scheme: dark)").addEventListener("change", renderAll);
