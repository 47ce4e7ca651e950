// Draws the page's ```{mermaid} diagrams with the copy of mermaid served from
// this book (no CDN), each one only when it comes within a screen's height of
// the viewport, one diagram at a time, and again in the matching colours when
// the reader switches Furo between light, dark and auto.
//
// Why lazily: laying a diagram out is main-thread work that grows with the
// page (mermaid measures its text in the live document). Drawing all six of
// dsa/advanced-structures at load blocked the main thread for 0.4 to 1.7 s
// and cost it its Lighthouse performance score (issue 21). Mermaid itself
// (the module and its chunks) is imported only when the first diagram nears.
//
// Each `pre.mermaid` gets data-rendered="true" once drawn, or "error" (its
// source stays readable, and the console says why).

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

let mermaidLoaded = null;

function loadMermaid() {
  mermaidLoaded ??= import("./mermaid/dist/mermaid.esm.min.mjs").then((m) => m.default);
  return mermaidLoaded;
}

const drawnDark = new Map(); // diagram -> the theme it was last drawn in (true: dark)
const near = new Set(); // diagrams within a screen's height of the viewport
let queue = Promise.resolve();
let initialisedDark = null;

// Chained, never concurrent: mermaid lays out in shared scratch elements.
function draw(el) {
  queue = queue.then(async () => {
    const dark = isDark();
    if (drawnDark.get(el) === dark) return;
    const i = diagrams.indexOf(el);
    try {
      const mermaid = await loadMermaid();
      if (initialisedDark !== dark) {
        mermaid.initialize({ startOnLoad: false, theme: dark ? "dark" : "default" });
        initialisedDark = dark;
      }
      const { svg } = await mermaid.render(`sb-mermaid-${i}`, el.dataset.source);
      el.innerHTML = svg;
      el.dataset.rendered = "true";
    } catch (err) {
      el.dataset.rendered = "error";
      console.error(`mermaid diagram ${i + 1} failed to render`, err);
    }
    drawnDark.set(el, dark);
  });
  return queue;
}

// "100% 0px": a margin of one viewport height above and below the screen, so
// a diagram is usually drawn before the reader scrolls it into sight.
const observer = new IntersectionObserver(
  (entries) => {
    for (const entry of entries) {
      if (entry.isIntersecting) {
        near.add(entry.target);
        draw(entry.target);
      } else {
        near.delete(entry.target);
      }
    }
  },
  { rootMargin: "100% 0px" },
);
for (const el of diagrams) {
  observer.observe(el);
}

// On a theme switch, redraw the diagrams on or near the screen first, then
// the others already drawn; the rest are drawn in the new theme when they near.
function redraw() {
  for (const el of near) draw(el);
  for (const el of drawnDark.keys()) draw(el);
}
new MutationObserver(redraw).observe(document.body, { attributeFilter: ["data-theme"] });
window.matchMedia("(prefers-color-scheme: dark)").addEventListener("change", redraw);

// Printing: the browser prints the page as it is when printing starts, and
// drawing takes longer than that, so a diagram not drawn yet prints as its
// source. Ctrl+P (Cmd+P) therefore draws every diagram first and then opens
// the print dialog (after 10 s at most); printing from the browser's menu
// starts the drawing, so that a second attempt prints them all drawn.
function drawAll() {
  for (const el of diagrams) draw(el);
  return queue;
}
window.addEventListener("beforeprint", drawAll);
document.addEventListener("keydown", (event) => {
  const printKey = event.key === "p" && (event.ctrlKey || event.metaKey);
  if (!printKey || event.altKey || event.shiftKey) return;
  const dark = isDark();
  if (diagrams.every((el) => drawnDark.get(el) === dark)) return; // the browser prints
  event.preventDefault();
  const bound = new Promise((resolve) => setTimeout(resolve, 10_000));
  Promise.race([drawAll(), bound]).then(() => window.print());
});
