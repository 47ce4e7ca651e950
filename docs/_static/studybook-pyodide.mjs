// The book's Python in the page: the vendored Pyodide (_static/pyodide/) with
// the book's own wheel unpacked into site-packages. Shared by everything that
// runs Python in a page (the exercise checks, studybook-checks.mjs); nothing is
// fetched until the first call of startPython.

let python = null; // a promise of the Pyodide instance, once started

// Start Python once per page and return it (the same instance on every call).
// wheel: the wheel's file name, served from _static/ beside this module.
// report(text): told what is happening while the first start takes seconds.
export function startPython(wheel, report = () => {}) {
  python ??= (async () => {
    const started = performance.now();
    report("Starting Python in this page (first run only)…");
    const { loadPyodide } = await import("./pyodide/pyodide.mjs");
    // Examples' output is captured by doctest; anything else printed (a
    // warning on stderr, say) is not a page error, so it stays off the console.
    const py = await loadPyodide({
      indexURL: new URL("pyodide/", import.meta.url).href,
      stdout: () => {},
      stderr: () => {},
    });
    const response = await fetch(new URL(wheel, import.meta.url));
    if (!response.ok) throw new Error(`cannot fetch ${wheel}: HTTP ${response.status}`);
    const sitePackages = py.runPython("import site; site.getsitepackages()[0]");
    py.unpackArchive(await response.arrayBuffer(), "wheel", { extractDir: sitePackages });
    py.runPython("import importlib; importlib.invalidate_caches()");
    window.studybookPython = { startSeconds: (performance.now() - started) / 1000 };
    return py;
  })();
  python.catch(() => { python = null; });
  return python;
}

// Forget the instance (after a fatal error): the next startPython starts afresh.
export function resetPython() {
  python = null;
}
