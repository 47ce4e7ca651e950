// Run a built book's Run-button examples under the book's own Pyodide, in Node.
//
// Started by pyodide_survey.py (python -m studybook.sphinxext.pyodide_survey):
//   node pyodide_survey.mjs <static dir> <wheel name> <tasks.json> <timeout seconds>
// tasks.json is a list of {"page": docname, "island": "<the page's JSON island>"}.
// Each offered example is pressed in page order, as a reader would, through the
// page's harness (studybook._browser.run) in a worker thread that loaded
// _static/pyodide/ and unpacked _static/<wheel> into site-packages the way
// studybook-pyodide.mjs does. One JSON line per example goes to stdout. An
// example that overruns the timeout or kills the interpreter (a stack
// overflow) is reported and the worker is replaced; the harness rebuilds the
// group's state from its setup, so the next example runs as on a fresh page.

import { Worker, isMainThread, parentPort, workerData } from "node:worker_threads";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";

// V8's default stack is 984 KB on a browser's main thread; a worker gets 4 MB
// unless told. The survey must not pass what overflows the page's stack.
const STACK_MB = 0.984;

if (isMainThread) {
  const [staticDir, wheel, tasksFile, timeoutText] = process.argv.slice(2);
  const timeoutMs = Number(timeoutText) * 1000;
  const tasks = JSON.parse(readFileSync(tasksFile, "utf8"));
  let worker = null;

  const start = () =>
    new Promise((resolve, reject) => {
      const w = new Worker(new URL(import.meta.url), {
        workerData: { staticDir, wheel },
        resourceLimits: { stackSizeMb: STACK_MB },
      });
      w.once("message", (m) => (m.ready ? resolve(w) : reject(new Error(m.error))));
      w.once("error", reject);
    });

  const press = (w, island, index, sources) =>
    new Promise((resolve) => {
      const timer = setTimeout(() => resolve({ status: "timeout" }), timeoutMs);
      const done = (reply) => {
        clearTimeout(timer);
        w.off("message", done);
        w.off("error", died);
        resolve(reply);
      };
      const died = (error) => done({ status: "fatal", error: String(error) });
      w.on("message", done);
      w.on("error", died);
      w.postMessage({ island, index, sources });
    });

  for (const task of tasks) {
    const page = JSON.parse(task.island);
    const sources = page.examples.map((e) => e.source);
    for (const [index, example] of page.examples.entries()) {
      if (example.blocked) continue;
      worker ??= await start();
      const began = performance.now();
      const reply = await press(worker, task.island, index, sources);
      reply.seconds = (performance.now() - began) / 1000;
      if (["timeout", "fatal"].includes(reply.status)) {
        await worker.terminate();
        worker = null;
      }
      process.stdout.write(JSON.stringify({ page: task.page, index, ...reply }) + "\n");
    }
  }
  if (worker) await worker.terminate();
} else {
  const { staticDir, wheel } = workerData;
  let harness = null;
  try {
    const { loadPyodide } = await import(pathToFileURL(join(staticDir, "pyodide", "pyodide.mjs")));
    const py = await loadPyodide({
      indexURL: join(staticDir, "pyodide") + "/",
      stdout: () => {},
      stderr: () => {},
    });
    const sitePackages = py.runPython("import site; site.getsitepackages()[0]");
    py.unpackArchive(new Uint8Array(readFileSync(join(staticDir, wheel))), "wheel", { extractDir: sitePackages });
    py.runPython("import importlib; importlib.invalidate_caches()");
    harness = py.pyimport("studybook._browser");
    parentPort.postMessage({ ready: true });
  } catch (error) {
    parentPort.postMessage({ ready: false, error: String(error) });
  }
  parentPort.on("message", ({ island, index, sources }) => {
    try {
      const reply = JSON.parse(harness.run(island, index, JSON.stringify(sources)));
      parentPort.postMessage(reply);
    } catch (error) {
      parentPort.postMessage({ status: "fatal", error: String(error).slice(0, 2000) });
    }
  });
}
