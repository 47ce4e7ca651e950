// Run buttons on the page's doctest examples (studybook.sphinxext.runner).
//
// The build tags each example's block (.sb-example .sb-ex-N) and describes the
// page in a JSON island (#sb-examples): each doctest group's {testsetup} once,
// and per example its groups, source, option flags, or why it cannot run in a
// browser. Nothing of Pyodide is fetched until the first press: then
// studybook-pyodide.mjs starts the copy served from _static/pyodide/ with the
// book's wheel, and studybook._browser (in that wheel) runs the example as
// Sphinx's doctest builder does: the group's setup, its earlier examples, then
// this one through doctest. The same harness runs in the survey of every
// example (python -m studybook.sphinxext.pyodide_survey).

const island = document.getElementById("sb-examples");
const page = island ? JSON.parse(island.textContent) : { examples: [] };
const examples = page.examples;

// Furo's variables, so light, dark and auto themes all work.
const STYLE = `
.sb-run-bar { display: flex; flex-wrap: wrap; gap: .5rem; align-items: center;
  margin: -.6rem 0 .8rem; font-size: .8rem; }
.sb-run-bar button { font: inherit; padding: .1rem .7rem; border-radius: .25rem; cursor: pointer;
  border: 1px solid var(--color-foreground-border); background: var(--color-background-secondary);
  color: var(--color-foreground-primary); }
.sb-run-bar button:hover { background: var(--color-background-hover); }
.sb-run-bar button:disabled { opacity: .6; cursor: progress; }
.sb-run-bar button:focus-visible, .sb-editor:focus-visible {
  outline: 2px solid var(--color-brand-primary); outline-offset: 2px; }
.sb-example[hidden] { display: none !important; } /* Furo's display would win */
.sb-run-note { color: var(--color-foreground-secondary); }
.sb-editor { display: block; width: 100%; box-sizing: border-box; margin: 0 0 1rem;
  font-family: var(--font-stack--monospace); font-size: var(--code-font-size); line-height: 1.5;
  padding: .6rem; white-space: pre; overflow-x: auto; resize: vertical;
  background: var(--color-code-background); color: var(--color-code-foreground);
  border: 1px solid var(--color-foreground-border); }
.sb-output { margin: -.4rem 0 1rem; font-family: var(--font-stack--monospace);
  font-size: var(--code-font-size); white-space: pre-wrap; color: var(--color-foreground-primary); }
.sb-output[data-status] { padding: .5rem .7rem; border-left: .25rem solid var(--color-foreground-border);
  background: var(--color-background-secondary); }
.sb-output[data-status=pass] { border-left-color: var(--color-admonition-title--tip); }
.sb-output[data-status=fail], .sb-output[data-status=error] {
  border-left-color: var(--color-admonition-title--danger); }
.sb-output .sb-verdict { font-family: var(--font-stack); font-weight: 600; margin-bottom: .3rem; }
`;

let harness = null; // studybook._browser inside Pyodide, after the first press

function editorOf(index) {
  return document.querySelector(`textarea.sb-editor[data-example="${index}"]`);
}

function currentSource(index) {
  const editor = editorOf(index);
  return editor ? editor.value : examples[index].source;
}

function show(output, status, verdict, body = "") {
  output.dataset.status = status;
  const head = document.createElement("div");
  head.className = "sb-verdict";
  head.textContent = verdict;
  output.replaceChildren(head);
  if (body) output.append(document.createTextNode(body));
}

function transcript(items) {
  return items
    .map((item) => {
      const source = item.source.trimEnd().split("\n").map((l, i) => (i ? "... " : ">>> ") + l);
      const lines = [...source, item.got.trimEnd()];
      if (!item.ok) lines.push(`# the book expects:\n${item.want.trimEnd() || "(no output)"}`);
      return lines.filter((l) => l !== "").join("\n");
    })
    .join("\n");
}

async function start(output) {
  if (harness) return harness;
  const { startPython } = await import("./studybook-pyodide.mjs");
  const py = await startPython(page.wheel, (text) => show(output, "running", text));
  harness = py.pyimport("studybook._browser");
  return harness;
}

async function run(index, button, output) {
  if (button.disabled) return;
  button.disabled = true;
  const started = performance.now();
  try {
    show(output, "running", "Running…");
    const python = await start(output);
    const sources = examples.map((_, i) => currentSource(i));
    const result = JSON.parse(python.run(island.textContent, index, JSON.stringify(sources)));
    const seconds = ((performance.now() - started) / 1000).toFixed(2);
    let body = transcript(result.items);
    if (result.earlier_failures.length) {
      const n = result.earlier_failures.length;
      body = `(${n} line${n > 1 ? "s" : ""} of the examples above failed first:\n` +
        `${transcript(result.earlier_failures)})\n${body}`;
    }
    if (result.status === "error") {
      show(output, "error", "The page's setup failed", result.error);
    } else if (result.status === "pass") {
      const total = result.items.length;
      show(output, "pass", `Passed: ${total} of ${total} lines as the book shows (${seconds} s)`, body);
    } else {
      const failed = result.items.filter((item) => !item.ok).length;
      const what = result.items.length ? `${failed} of ${result.items.length} lines differ from the book` : "no >>> line to run";
      show(output, "fail", `Failed: ${what}`, body);
    }
  } catch (error) {
    // A fatal error (a stack overflow, say) leaves the interpreter unusable:
    // the next press starts a fresh one, and the page's examples from scratch.
    if (error?.pyodide_fatal_error || /fatally failed|Maximum call stack/.test(String(error))) {
      harness = null;
      const { resetPython } = await import("./studybook-pyodide.mjs");
      resetPython();
    }
    show(output, "error", "Could not run this example", String(error));
  } finally {
    button.disabled = false;
  }
}

function toggleEditor(index, block, editButton, runButton, output) {
  const existing = editorOf(index);
  if (existing) {
    // Reset: back to the book's text, shown as the book shows it.
    existing.remove();
    block.hidden = false;
    editButton.textContent = "Edit";
    editButton.setAttribute("aria-label", `Edit example ${index + 1}`);
    editButton.setAttribute("aria-expanded", "false");
    output.replaceChildren();
    delete output.dataset.status;
    editButton.focus();
    return;
  }
  const editor = document.createElement("textarea");
  editor.className = "sb-editor";
  editor.id = `sb-editor-${index}`;
  editor.dataset.example = String(index);
  editor.spellcheck = false;
  editor.setAttribute("aria-label", `Example ${index + 1}, editable (Ctrl+Enter runs it)`);
  editor.value = examples[index].source;
  editor.rows = examples[index].source.split("\n").length + 1;
  editor.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      run(index, runButton, output);
    }
  });
  block.hidden = true;
  block.after(editor);
  editButton.textContent = "Reset";
  editButton.setAttribute("aria-label", `Reset example ${index + 1} to the book's text`);
  editButton.setAttribute("aria-controls", editor.id);
  editButton.setAttribute("aria-expanded", "true");
  editor.focus();
}

function decorate() {
  const style = document.createElement("style");
  style.textContent = STYLE;
  document.head.append(style);
  for (const block of document.querySelectorAll(".sb-example")) {
    const tag = [...block.classList].find((c) => /^sb-ex-\d+$/.test(c));
    const index = Number(tag.slice("sb-ex-".length));
    const example = examples[index];
    const bar = document.createElement("div");
    bar.className = "sb-run-bar";
    if (example.blocked) {
      const note = document.createElement("span");
      note.className = "sb-run-note";
      const command = `python -m studybook doctest ${page.chapter ?? "<chapter>"}`;
      note.textContent = `Runs only on your machine (${example.blocked}): ${command}`;
      bar.append(note);
      block.after(bar);
      continue;
    }
    const runButton = document.createElement("button");
    runButton.type = "button";
    runButton.className = "sb-run";
    runButton.textContent = "Run";
    runButton.setAttribute("aria-label", `Run example ${index + 1}`);
    const editButton = document.createElement("button");
    editButton.type = "button";
    editButton.className = "sb-edit";
    editButton.textContent = "Edit";
    editButton.setAttribute("aria-label", `Edit example ${index + 1}`);
    editButton.setAttribute("aria-expanded", "false");
    // Always in the page, empty until a run: a live region must exist before
    // its text changes for screen readers to announce the verdict.
    const output = document.createElement("div");
    output.className = "sb-output";
    output.setAttribute("role", "status");
    output.setAttribute("aria-live", "polite");
    output.setAttribute("aria-label", `Output of example ${index + 1}`);
    runButton.addEventListener("click", () => run(index, runButton, output));
    editButton.addEventListener("click", () =>
      toggleEditor(index, block, editButton, runButton, output),
    );
    bar.append(runButton, editButton);
    block.after(bar);
    bar.after(output);
  }
}

decorate();
