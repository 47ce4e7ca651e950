// Reading progress that stays with the reader (see studybook/sphinxext/progress.py).
//
// Marks live in this browser's localStorage under one key, as
// {"version": 1, "done": {name: date}, "undone": {name: date}}: a name is
// "<docname>" or "<docname>#<key>", a date the ISO 8601 time the reader
// marked it done, or cleared that mark ("undone": kept so that an un-mark
// travels between browsers like a mark). Nothing is sent anywhere: export
// writes the marks to a file, import reads one back and merges it, the later
// change of each name winning, mark or un-mark. A file is checked in full
// before anything is written; marks naming pages or blocks this edition lacks
// are kept (they count again if the page returns) and reported. Maps of names
// have no prototype, so a name such as "__proto__" stays a plain name. The hub
// and the study plans count from the build's index, studybook-progress.json,
// fetched only by the pages that show figures.

const STORE = "studybook-progress";
const FORMAT = "studybook-progress";
const VERSION = 1;
const KINDS = ["done", "undone"];
const FIELDS = ["format", "version", "exported", ...KINDS];
const MAX_BYTES = 5e6;
const MAX_MARKS = 10_000; // the book has about 1,100 pages, questions and exercises
const MAX_NAME = 500; // the longest name in the book is about 250 characters
const SKEW_MS = 864e5; // a day: clocks differ, but a mark is never made in the future
const NAME = /^[\w-]+(?:[./][\w-]+)*(?:#[qx]-[\w-]+)?$/;
const DATE = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d{1,9})?(?:Z|[+-]\d\d:\d\d)$/;
const KEEP = " Nothing was imported; your progress is unchanged.";
const UNREADABLE =
  "This browser holds reading progress this edition of the book cannot read " +
  "(damaged, or from a newer edition); it is left as it is, and marks cannot be changed here.";

const root = new URL(document.documentElement.dataset.content_root || "./", location.href);
const meta = document.querySelector('meta[name="studybook-page"]');
const here = meta?.content;
let index = null;

const isObject = (v) => v !== null && typeof v === "object" && !Array.isArray(v);
const names = () => Object.create(null);
const validName = (v) => typeof v === "string" && v.length <= MAX_NAME && NAME.test(v);
const plural = (n, word) => `${n} ${word}${n === 1 ? "" : "s"}`;

function validDate(v) {
  if (typeof v !== "string" || !DATE.test(v) || Number.isNaN(Date.parse(v))) return false;
  // Date.parse rolls "2024-02-30" over into March: only real days pass.
  const [year, month, day] = v.slice(0, 10).split("-").map(Number);
  return new Date(Date.UTC(year, month - 1, day)).getUTCDate() === day;
}

// A value as a message shows it: short, and never a whole file.
function describe(v) {
  if (v === undefined) return "nothing";
  if (Array.isArray(v)) return "an array";
  if (isObject(v)) return "an object";
  const text = JSON.stringify(v);
  return text.length > 80 ? `${text.slice(0, 60)}... (${text.length} characters)` : text;
}

function storage() {
  try {
    const probe = `${STORE}-probe`;
    localStorage.setItem(probe, "1");
    localStorage.removeItem(probe);
    return localStorage;
  } catch {
    return null;
  }
}
const store = storage();

// The stored marks, {done, undone}; null when the browser holds something this
// edition cannot read, which is then never written over.
function load() {
  const state = { done: names(), undone: names() };
  let data;
  try {
    const raw = store?.getItem(STORE);
    if (raw === null || raw === undefined) return state;
    data = JSON.parse(raw);
  } catch {
    return null;
  }
  if (!isObject(data) || data.version !== VERSION || !isObject(data.done)) return null;
  for (const kind of KINDS) {
    for (const [name, when] of Object.entries(isObject(data[kind]) ? data[kind] : {})) {
      if (validName(name) && validDate(when)) state[kind][name] = when;
    }
  }
  return state;
}

function save(state) {
  store.setItem(STORE, JSON.stringify({ version: VERSION, done: state.done, undone: state.undone }));
}

// Notes that name was marked done (kind "done") or un-marked ("undone") at when.
function record(state, name, kind, when) {
  delete state[kind === "done" ? "undone" : "done"][name];
  state[kind][name] = when;
}

// ------------------------------------------------------------ the controls

function control(name, text, accessibleName) {
  const label = document.createElement("label");
  label.className = "sb-done-control";
  const box = document.createElement("input");
  box.type = "checkbox";
  box.dataset.sbMark = name;
  if (accessibleName) box.setAttribute("aria-label", accessibleName);
  const when = document.createElement("time");
  when.className = "sb-done-date";
  label.append(box, ` ${text}`, when);
  box.addEventListener("change", () => {
    const state = load();
    if (state) {
      record(state, name, box.checked ? "done" : "undone", new Date().toISOString());
      try {
        save(state);
      } catch (error) {
        say(`Could not save: ${error.message}`);
      }
    }
    render();
  });
  return label;
}
function addControls() {
  if (meta?.dataset.part) {
    const heading = document.querySelector("article[role=main] h1");
    const what = meta.dataset.chapter === "true" ? "chapter" : "page";
    const wrap = document.createElement("p");
    wrap.className = "sb-page-done";
    wrap.append(control(here, `Mark this ${what} done`));
    heading?.after(wrap);
  }
  for (const block of document.querySelectorAll("details.sb-question[data-sb-key]")) {
    const title = block.querySelector("summary")?.textContent.trim() ?? "";
    // Outside <summary>, so a click never opens or closes the answer.
    const row = document.createElement("p");
    row.className = "sb-block-done";
    row.append(control(`${here}#${block.dataset.sbKey}`, "Done", `Question done: ${title}`));
    block.after(row);
  }
  for (const block of document.querySelectorAll("div.sb-exercise[data-sb-key]")) {
    const title = block.querySelector(".sb-title")?.textContent.trim() ?? "";
    const row = document.createElement("p");
    row.className = "sb-block-done";
    row.append(control(`${here}#${block.dataset.sbKey}`, "Done", `Exercise done: ${title}`));
    block.append(row);
  }
}

// ------------------------------------------------------------ the figures

function docOf(href) {
  const url = new URL(href, location.href);
  if (url.origin !== root.origin || !url.pathname.startsWith(root.pathname)) return null;
  let path = decodeURIComponent(url.pathname.slice(root.pathname.length));
  if (path === "" || path.endsWith("/")) path += "index.html";
  return path.endsWith(".html") ? path.slice(0, -5) : null;
}

// The index's entry for a page, or null; never an inherited property.
const pageOf = (doc) => (Object.hasOwn(index.pages, doc) ? index.pages[doc] : null);

function tally(docs, done) {
  let pages = 0;
  let blocks = 0;
  let blocksDone = 0;
  for (const doc of docs) {
    if (done[doc]) pages += 1;
    const keys = pageOf(doc)?.keys ?? [];
    blocks += keys.length;
    blocksDone += keys.filter((key) => done[`${doc}#${key}`]).length;
  }
  return { pages, blocks, blocksDone };
}

function render() {
  const state = load();
  if (!state) say(UNREADABLE);
  const done = state?.done ?? names();
  for (const box of document.querySelectorAll("input[data-sb-mark]")) {
    const when = done[box.dataset.sbMark];
    box.checked = Boolean(when);
    box.disabled = !state;
    const stamp = box.parentElement.querySelector(".sb-done-date");
    stamp.dateTime = when ?? "";
    stamp.textContent = when ? ` (${new Date(when).toLocaleDateString()})` : "";
    const block = box.closest(".sb-block-done")?.previousElementSibling;
    if (block?.matches("details.sb-question")) block.classList.toggle("sb-done", box.checked);
    const exercise = box.closest("div.sb-exercise");
    if (exercise && box.dataset.sbMark.endsWith(`#${exercise.dataset.sbKey}`)) {
      exercise.classList.toggle("sb-done", box.checked);
    }
  }
  if (!index) return;
  for (const slot of document.querySelectorAll(".sb-part-progress[data-sb-part]")) {
    const part = index.parts.find((p) => p.id === slot.dataset.sbPart);
    if (!part) continue;
    const pages = Object.keys(index.pages).filter((d) => index.pages[d].part === part.id);
    const t = tally(pages, done);
    const chapters = part.chapters.filter((d) => done[d]).length;
    slot.textContent =
      `Your progress: ${chapters} of ${part.chapters.length} chapters done; ` +
      `${t.blocksDone} of ${t.blocks} questions and exercises done.`;
    slot.hidden = false;
  }
  for (const link of document.querySelectorAll("a.sd-stretched-link")) {
    const card = link.closest(".sd-card");
    const isDone = Boolean(done[docOf(link.href)]);
    card?.classList.toggle("sb-done", isDone);
    const badge = card?.querySelector(".sb-card-done");
    if (isDone && card && !badge) {
      const mark = document.createElement("span");
      mark.className = "sb-card-done";
      mark.textContent = "Done";
      card.querySelector(".sd-card-title")?.append(mark);
    } else if (!isDone) badge?.remove();
  }
  for (const slot of document.querySelectorAll(".sb-plan-progress[data-sb-docs]")) {
    const docs = slot.dataset.sbDocs.split(" ").filter(pageOf);
    const t = tally(docs, done);
    slot.textContent =
      `Your progress: ${t.pages} of the ${docs.length} ` +
      `${docs.length === 1 ? "page" : "pages"} linked here marked done; ` +
      `${t.blocksDone} of their ${t.blocks} questions and exercises done.`;
    slot.hidden = false;
  }
}

async function loadIndex() {
  if (index) return index;
  try {
    const response = await fetch(new URL("studybook-progress.json", import.meta.url));
    const data = response.ok ? await response.json() : null;
    if (isObject(data) && isObject(data.pages) && Array.isArray(data.parts)) index = data;
  } catch {
    // No index (a page opened from disk): the figures stay hidden.
  }
  return index;
}

// ------------------------------------------------------------ export and import

function say(text) {
  const out = document.querySelector(".sb-progress-message");
  if (out) out.textContent = text;
}

function exportFile() {
  const state = load();
  if (!state) {
    say(UNREADABLE);
    return;
  }
  const sorted = (map) => Object.fromEntries(Object.keys(map).sort().map((k) => [k, map[k]]));
  const now = new Date().toISOString();
  const data = { format: FORMAT, version: VERSION, exported: now };
  for (const kind of KINDS) data[kind] = sorted(state[kind]);
  const text = `${JSON.stringify(data, null, 2)}\n`;
  const link = document.createElement("a");
  link.href = `data:application/json;charset=utf-8,${encodeURIComponent(text)}`;
  link.download = `studybook-progress-${now.slice(0, 10)}.json`;
  document.body.append(link);
  link.click();
  link.remove();
  say(`Exported ${counted(state)} to ${link.download}.`);
}

// "3 marks", or "3 marks and 1 un-mark" when there are un-marks.
function counted(marks) {
  const undone = Object.keys(marks.undone).length;
  const both = plural(Object.keys(marks.done).length, "mark");
  return undone ? `${both} and ${plural(undone, "un-mark")}` : both;
}

// Checks a file's text in full; returns its marks as {done, undone} or throws
// an Error whose message names what is wrong (the "undone" field is optional).
export function parseProgress(text) {
  let data;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new Error(`That file is not valid JSON (${error.message}).`);
  }
  if (!isObject(data)) throw new Error(`That file holds ${describe(data)}, not a progress object.`);
  if (data.format !== FORMAT) {
    const got = Object.hasOwn(data, "format") ? `format ${describe(data.format)}` : "no format";
    throw new Error(`That file has ${got}; a progress file has format "${FORMAT}".`);
  }
  if (!Number.isInteger(data.version)) {
    throw new Error(`The file's version must be a whole number, got ${describe(data.version)}.`);
  }
  if (data.version !== VERSION) {
    throw new Error(`The file is version ${data.version}; this book reads version ${VERSION}.`);
  }
  const extra = Object.keys(data).filter((k) => !FIELDS.includes(k));
  if (extra.length) {
    const more = extra.length > 3 ? ` and ${extra.length - 3} more` : "";
    throw new Error(`Unknown fields ${extra.slice(0, 3).map(describe).join(", ")}${more}: ` +
      `a version ${VERSION} file has only ${FIELDS.join(", ")}.`);
  }
  const latest = Date.now() + SKEW_MS;
  const checkDate = (what, when) => {
    if (!validDate(when)) {
      throw new Error(`${what} has ${describe(when)}; it must be an ISO 8601 date ` +
        `("2024-05-01T09:30:00Z").`);
    }
    if (Date.parse(when) > latest) throw new Error(`${what} is dated ${when}, in the future.`);
  };
  if (Object.hasOwn(data, "exported")) checkDate('"exported"', data.exported);
  const marks = { done: names(), undone: names() };
  let count = 0;
  for (const kind of KINDS) {
    if (kind === "undone" && !Object.hasOwn(data, kind)) continue;
    if (!isObject(data[kind])) {
      throw new Error(`"${kind}" must be an object of marks, got ${describe(data[kind])}.`);
    }
    const entries = Object.entries(data[kind]);
    count += entries.length;
    if (count > MAX_MARKS) {
      throw new Error(`That file holds more than ${MAX_MARKS} marks, far more than this book has.`);
    }
    for (const [name, when] of entries) {
      if (!validName(name)) {
        throw new Error(`The mark ${describe(name)} names no page ("dsa/lsm-tree") ` +
          `or block ("dsa/lsm-tree#q-...").`);
      }
      checkDate(`The mark ${describe(name)}`, when);
      marks[kind][name] = when;
    }
  }
  return marks;
}

// Applies a file's marks to state, the later change of each name winning (a
// tie keeps what is here); returns how many names it marked done and cleared.
function merge(state, marks) {
  const before = new Set(Object.keys(state.done));
  for (const kind of KINDS) {
    for (const [name, when] of Object.entries(marks[kind])) {
      const mine = state.done[name] ?? state.undone[name];
      if (mine === undefined || Date.parse(when) > Date.parse(mine)) record(state, name, kind, when);
    }
  }
  const after = Object.keys(state.done);
  const added = after.filter((name) => !before.has(name)).length;
  return { added, cleared: before.size - (after.length - added) };
}

// How many marks name a page or block the build's index does not have.
function unknown(marks) {
  return Object.keys(marks.done).filter((name) => {
    const [doc, key] = name.split("#");
    const page = pageOf(doc);
    return !page || (key !== undefined && !page.keys.includes(key));
  }).length;
}

async function importFile(input) {
  const file = input.files?.[0];
  input.value = "";
  if (!file) return;
  let marks;
  try {
    if (file.size > MAX_BYTES) {
      throw new Error(`That file is ${file.size} bytes; a progress file is far smaller.`);
    }
    marks = parseProgress(await file.text());
  } catch (error) {
    say(`${file.name}: ${error.message}${KEEP}`);
    return;
  }
  const known = await loadIndex();
  const state = load();
  if (!state) {
    say(`${file.name}: ${UNREADABLE}${KEEP}`);
    return;
  }
  const { added, cleared } = merge(state, marks);
  try {
    save(state);
  } catch (error) {
    say(`${file.name}: could not save (${error.message}).${KEEP}`);
    return;
  }
  const hasUndone = Object.keys(marks.undone).length > 0;
  let text = `Imported ${counted(marks)} from ${file.name} ` +
    `(${added} new${hasUndone ? `, ${cleared} cleared` : ""}).`;
  const strangers = known ? unknown(marks) : 0;
  if (strangers) {
    text += ` ${strangers} name pages or blocks this edition of the book does not have;` +
      " they are kept.";
  }
  say(text);
  render();
}

// ------------------------------------------------------------ start

function start() {
  const tools = document.querySelector(".sb-progress-tools");
  if (!store) {
    if (tools) {
      tools.hidden = false;
      tools.querySelectorAll("button, label").forEach((el) => el.remove());
      say("Reading progress needs this browser's local storage, which is switched off.");
    }
    return;
  }
  if (here) addControls();
  if (tools) {
    tools.hidden = false;
    tools.querySelector(".sb-progress-export")?.addEventListener("click", exportFile);
    const input = tools.querySelector('input[type="file"]');
    input?.addEventListener("change", () => importFile(input));
  }
  render();
  if (document.querySelector(".sb-part-progress, .sb-plan-progress")) {
    loadIndex().then(render);
  }
  // Another tab of the book changed the marks.
  addEventListener("storage", (event) => {
    if (event.key === STORE || event.key === null) render();
  });
}

start();
