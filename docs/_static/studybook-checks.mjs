// Exercise checks (studybook.sphinxext.checks): an answer box and a "Check my
// answer" button on every exercise that carries hidden {checks}.
//
// The build describes the page's checked exercises in a JSON island
// (#sb-checks): key, number, the checks' doctest text, the signature they call
// and the page's {testsetup} and {testcleanup}. Nothing of Pyodide is fetched
// until the first press; then studybook-pyodide.mjs starts the page's one Python and
// studybook.checks.check_json (in the book's wheel, the same code as
// `python -m studybook check`) runs the answer and every check.

const island = document.getElementById("sb-checks");
const page = island ? JSON.parse(island.textContent) : { exercises: [] };

// Furo's variables, so light, dark and auto themes all work.
const STYLE = `
.sb-check { margin: .8rem 0 1rem; }
.sb-check label { display: block; font-weight: 600; margin-bottom: .2rem; }
.sb-check .sb-check-hint { color: var(--color-foreground-secondary); font-size: .85rem; margin: 0 0 .4rem; }
.sb-check .sb-check-hint code { font-size: inherit; }
.sb-check textarea { display: block; width: 100%; box-sizing: border-box; min-height: 9rem;
  font-family: var(--font-stack--monospace); font-size: var(--code-font-size); line-height: 1.5;
  padding: .6rem; white-space: pre; overflow-x: auto; resize: vertical; tab-size: 4;
  background: var(--color-code-background); color: var(--color-code-foreground);
  border: 1px solid var(--color-foreground-border); }
.sb-check button { font: inherit; font-size: .85rem; margin: .5rem 0; padding: .15rem .8rem;
  border-radius: .25rem; cursor: pointer; border: 1px solid var(--color-foreground-border);
  background: var(--color-background-secondary); color: var(--color-foreground-primary); }
.sb-check button:hover { background: var(--color-background-hover); }
.sb-check button:disabled { opacity: .6; cursor: progress; }
.sb-check button:focus-visible, .sb-check textarea:focus-visible {
  outline: 2px solid var(--color-brand-primary); outline-offset: 2px; }
.sb-check-result[data-status] { padding: .5rem .7rem; background: var(--color-background-secondary);
  border-left: .25rem solid var(--color-foreground-border); }
.sb-check-result[data-status=pass] { border-left-color: var(--color-admonition-title--tip); }
.sb-check-result[data-status=fail], .sb-check-result[data-status=error] {
  border-left-color: var(--color-admonition-title--danger); }
.sb-check-summary { font-weight: 600; margin: 0 0 .3rem; }
.sb-check-result ol { margin: 0; padding-left: 1.4rem; }
.sb-check-result li { margin: .3rem 0; }
.sb-check-result pre { margin: .2rem 0; padding: .3rem .5rem; white-space: pre-wrap;
  font-size: var(--code-font-size); background: var(--color-code-background); }
/* The verdict's words carry it, in the text colour: Furo's tip green and danger
   red are under 4.5:1 on the light background, so they only mark the edge. */
.sb-check-verdict { font-weight: 600; }
.sb-check-result li { padding-left: .4rem; border-left: .2rem solid var(--color-admonition-title--tip); }
.sb-check-result li[data-passed=false] { border-left-color: var(--color-admonition-title--danger); }
`;

let checker = null; // studybook.checks inside Pyodide, after the first press

// The reader's answers are kept in this browser, so a reload or a visit to
// another page loses no work. Blocked storage (some private modes) keeps none.
const drafts = (() => {
  try {
    return window.localStorage;
  } catch {
    return null;
  }
})();

function keepDraft(editor, key) {
  editor.value = drafts?.getItem(key) ?? "";
  editor.addEventListener("input", () => {
    try {
      if (editor.value) drafts?.setItem(key, editor.value);
      else drafts?.removeItem(key);
    } catch {
      // Storage full: the answer stays in the box, only not across a reload.
    }
  });
}

async function start(report) {
  if (checker) return checker;
  const { startPython } = await import("./studybook-pyodide.mjs");
  const py = await startPython(page.wheel, report);
  checker = py.pyimport("studybook.checks");
  return checker;
}

function element(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, value);
  node.append(...children);
  return node;
}

function prompt(source) {
  return source.trimEnd().split("\n").map((l, i) => (i ? "... " : ">>> ") + l).join("\n");
}

// A print in a loop can write thousands of lines: show the start, say what is left.
function clip(text, maxLines = 20, maxChars = 2000) {
  const all = text.trimEnd();
  const lines = all.split("\n");
  if (lines.length > maxLines) {
    return `${lines.slice(0, maxLines).join("\n")}\n… ${lines.length - maxLines} more lines`;
  }
  if (all.length > maxChars) return `${all.slice(0, maxChars)}… ${all.length - maxChars} more characters`;
  return all || "(nothing)";
}

function showMessage(output, status, text) {
  output.dataset.status = status;
  output.replaceChildren(element("p", { class: "sb-check-summary" }, text));
}

function showReport(output, reply) {
  output.dataset.status = reply.passed ? "pass" : "fail";
  const counted = reply.results.filter((r) => !r.step || !r.passed);
  const list = element("ol");
  counted.forEach((r, i) => {
    const item = element("li", { "data-passed": String(r.passed) },
      element("span", { class: "sb-check-verdict" }, r.passed ? "Pass" : "Fail"),
      ` check ${i + 1}`,
      element("pre", { class: "sb-check-source" }, prompt(r.source)));
    if (!r.passed) {
      item.append("Expected:", element("pre", { class: "sb-check-want" }, clip(r.want)),
        "Got:", element("pre", { class: "sb-check-got" }, clip(r.got)));
    }
    list.append(item);
  });
  const parts = [element("p", { class: "sb-check-summary" }, reply.summary)];
  if (reply.output) parts.push("Your code printed:", element("pre", {}, clip(reply.output)));
  output.replaceChildren(...parts, list);
}

async function check(exercise, editor, button, output) {
  if (button.disabled) return;
  button.disabled = true;
  try {
    showMessage(output, "running", "Checking…");
    const python = await start((text) => showMessage(output, "running", text));
    const { checks, setup, cleanup = "" } = exercise; // a page built before cleanup: none
    const reply = JSON.parse(python.check_json(editor.value, checks, setup, cleanup));
    if (reply.results.length === 0) showMessage(output, "error", reply.summary);
    else showReport(output, reply);
  } catch (error) {
    // A fatal error (a stack overflow, say) leaves the interpreter unusable:
    // the next press starts a fresh one.
    if (error?.pyodide_fatal_error || /fatally failed|Maximum call stack/.test(String(error))) {
      checker = null;
      const { resetPython } = await import("./studybook-pyodide.mjs");
      resetPython();
    }
    showMessage(output, "error", `Could not check the answer: ${error}`);
  } finally {
    button.disabled = false;
  }
}

function addEditor(exercise) {
  const box = document.querySelector(`.sb-exercise[data-sb-key="${CSS.escape(exercise.key)}"]`);
  if (!box) return;
  const id = `sb-answer-${exercise.key}`;
  const editor = element("textarea", {
    id, class: "sb-answer", spellcheck: "false", autocapitalize: "off", autocomplete: "off",
    "aria-describedby": `${id}-hint`,
  });
  keepDraft(editor, `studybook-answer:${location.pathname}#${exercise.key}`);
  const hint = element("p", { class: "sb-check-hint", id: `${id}-hint` });
  if (exercise.signature) hint.append("Define ", element("code", {}, exercise.signature), "; ");
  hint.append("hidden checks call it. From a checkout: ",
    element("code", {}, `python -m studybook check ${page.chapter} ${exercise.key} answer.py`));
  const button = element("button", { type: "button", class: "sb-check-button" }, "Check my answer");
  const output = element("div", { class: "sb-check-result", role: "status", "aria-live": "polite" });
  button.addEventListener("click", () => check(exercise, editor, button, output));
  // Ctrl+Enter (or Cmd+Enter) checks from the keyboard; Tab keeps moving focus.
  editor.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      button.click();
    }
  });
  const panel = element("div", { class: "sb-check" },
    element("label", { for: id }, "Your answer"), hint, editor, button, output);
  const solution = box.querySelector(":scope > details.sb-solution");
  box.insertBefore(panel, solution);
}

if (page.exercises.length) {
  document.head.append(element("style", {}, STYLE));
  page.exercises.forEach(addEditor);
}
