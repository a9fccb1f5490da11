// The HTML report's style and script, inline in the page (no request leaves it). The page's
// Content-Security-Policy names each by its SHA-256, so these exact texts are all that may apply.

export const HTML_STYLE = `
:root{--fg:#1f2328;--muted:#59636e;--bg:#fff;--card:#f6f8fa;--line:#d1d9e0;--keep:#1a7f37;--drop:#9a6700;
--del-bg:#ffebe9;--del-fg:#a40e26;--ins-bg:#dafbe1;--ins-fg:#116329;--chip:#eaeef2;--focus:#0969da;--warn:#bc4c00;--tag-fg:#fff;--match:#ddf4ff}
@media (prefers-color-scheme:dark){:root{--fg:#e6edf3;--muted:#9198a1;--bg:#0d1117;--card:#151b23;--line:#3d444d;--keep:#3fb950;
--drop:#d29922;--del-bg:#5d1a1d;--del-fg:#ffdcd7;--ins-bg:#17402a;--ins-fg:#aff5b4;--chip:#262c36;--focus:#4493f8;--warn:#f0883e;--tag-fg:#0d1117;--match:#1f2a3a}}
*{box-sizing:border-box}
html{background:var(--bg);color:var(--fg)}
body{margin:0 auto;max-width:1200px;padding:1.5rem 1.25rem 3rem;font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif}
h1{font-size:1.7rem;margin:0 0 .4rem}
h2{font-size:1.25rem;margin:2rem 0 .8rem;padding-bottom:.3rem;border-bottom:1px solid var(--line)}
h3{font-size:1.05rem;margin:0 0 .6rem}
h3 a{color:inherit;text-decoration:none}
.sub{color:var(--muted);font-weight:normal;font-size:.9em}
.lead{font-size:1.05rem;margin:.2rem 0 .8rem}
.params{color:var(--muted);font-size:.9rem;max-width:75ch}
.stats{display:flex;flex-wrap:wrap;gap:.6rem;margin:0 0 .6rem;padding:0}
.stats div{background:var(--card);border:1px solid var(--line);border-radius:8px;padding:.4rem .9rem;min-width:7.5rem}
.stats dt{color:var(--muted);font-size:.8rem}
.stats dd{margin:0;font-size:1.35rem;font-weight:600;font-variant-numeric:tabular-nums}
.toolbar{position:sticky;top:0;z-index:2;background:var(--bg);display:flex;flex-wrap:wrap;align-items:center;gap:.5rem;padding:.6rem 0;border-bottom:1px solid var(--line)}
.toolbar label{font-weight:600}
.toolbar input{font:inherit;padding:.35rem .6rem;border:1px solid var(--line);border-radius:6px;background:var(--bg);color:var(--fg);min-width:18rem}
#filter-count{color:var(--muted);font-size:.9rem}
.hint{margin-left:auto;color:var(--muted);font-size:.85rem}
.key{display:inline-block;min-width:1.4em;text-align:center;padding:0 .3em;border:1px solid var(--line);border-bottom-width:2px;border-radius:4px;font:.85em ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;background:var(--card)}
.help{margin:.8rem 0;color:var(--fg)}
.help summary{cursor:pointer;color:var(--muted)}
.help ul{margin:.4rem 0;padding-left:1.3rem;max-width:80ch}
.cluster{background:var(--card);border:1px solid var(--line);border-radius:10px;padding:1rem 1.1rem;margin:0 0 1.2rem;scroll-margin-top:4rem}
table.members{border-collapse:collapse;width:100%;font-size:.92rem;margin-bottom:.6rem}
.members th{text-align:left;color:var(--muted);font-weight:600;font-size:.8rem;border-bottom:1px solid var(--line);padding:.25rem .5rem}
.members td{border-bottom:1px solid var(--line);padding:.35rem .5rem;vertical-align:top}
.num{text-align:right;font-variant-numeric:tabular-nums}
.path{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:.88em;overflow-wrap:anywhere}
.tag{display:inline-block;font-size:.75rem;font-weight:700;text-transform:uppercase;letter-spacing:.04em;border-radius:4px;padding:0 .4rem;color:var(--tag-fg)}
.unit{display:none}
tr.match td{background:var(--match)}
.tag.keep{background:var(--keep)}
.tag.drop{background:var(--drop)}
.tag.base{background:var(--muted)}
.side-tag{color:var(--muted);font-size:.8em}
.warn{color:var(--warn);font-size:.85em}
.chip{display:inline-block;background:var(--chip);color:var(--muted);border-radius:999px;padding:0 .55rem;font-size:.78rem;margin:.1rem 0;white-space:nowrap}
.chip .range{opacity:.8}
.none{color:var(--muted);font-size:.85em}
.note{color:var(--muted);font-size:.9rem;margin:.4rem 0}
.pair{margin-top:.9rem;border-top:1px dashed var(--line);padding-top:.6rem}
.pair-head,.hunk{display:grid;grid-template-columns:1fr 1fr;gap:.8rem}
.pair-head{font-size:.9rem}
.hunk{margin:.45rem 0}
.side{background:var(--bg);border:1px solid var(--line);border-radius:6px;padding:.45rem .6rem;font-size:.92rem;overflow-wrap:anywhere}
.ln{display:block;color:var(--muted);font-size:.75rem;margin-bottom:.15rem}
.ctx{color:var(--muted)}
del{background:var(--del-bg);color:var(--del-fg);text-decoration:line-through;text-decoration-thickness:1px;border-radius:3px;padding:0 .1em}
ins{background:var(--ins-bg);color:var(--ins-fg);text-decoration:underline;text-decoration-thickness:1px;border-radius:3px;padding:0 .1em}
.omitted{font-style:italic}
.doc{border-bottom:1px solid var(--line);padding:.35rem 0}
.doc summary{cursor:pointer;padding:.15rem 0}
.segments{margin:.3rem 0 .5rem 1.2rem}
.seg{margin:.3rem 0;font-size:.9rem}
.seg-label{color:var(--muted);font-size:.8rem}
.seg.boilerplate{opacity:.62;border-left:3px solid var(--line);padding-left:.6rem}
.seg-text{white-space:pre-wrap;overflow-wrap:anywhere}
.preview{font-style:italic}
.skip{position:absolute;left:-999px}
.skip:focus{left:1rem;top:1rem;background:var(--bg);padding:.3rem .6rem;z-index:3}
a{color:var(--focus)}
:focus-visible{outline:3px solid var(--focus);outline-offset:2px;border-radius:4px}
.cluster:focus{outline:3px solid var(--focus);outline-offset:2px}
[hidden]{display:none!important}
footer{margin-top:2.5rem;color:var(--muted);font-size:.85rem}
@media (max-width:720px){.pair-head,.hunk{grid-template-columns:1fr}.hint{display:none}.toolbar input{min-width:0;flex:1}
.members thead{display:none}.members tr{display:flex;flex-wrap:wrap;align-items:baseline;gap:.2rem .7rem;border-bottom:1px solid var(--line);padding:.35rem 0}
.members td{border:0;padding:0}.members td.path{flex:1 1 60%}.members td.cats{flex-basis:100%}.unit{display:inline}.chip{white-space:normal}}
@media print{.toolbar,.help,.skip{display:none}.doc{break-inside:avoid}}
`;

export const HTML_SCRIPT = `
(function () {
  "use strict";
  var filter = document.getElementById("filter");
  var count = document.getElementById("filter-count");
  var help = document.getElementById("help");
  var items = Array.prototype.slice.call(document.querySelectorAll("[data-filter]"));
  var groups = items.filter(function (el) { return el.classList.contains("cluster"); });
  var docs = items.length - groups.length;
  var rows = Array.prototype.slice.call(document.querySelectorAll("tr[data-path]"));
  function apply() {
    var q = filter.value.trim().toLowerCase();
    rows.forEach(function (tr) { tr.classList.toggle("match", q !== "" && tr.getAttribute("data-path").indexOf(q) >= 0); });
    var shownGroups = 0, shownDocs = 0;
    items.forEach(function (el) {
      var hit = q === "" || el.getAttribute("data-filter").indexOf(q) >= 0;
      el.hidden = !hit;
      if (hit) { if (el.classList.contains("cluster")) shownGroups++; else shownDocs++; }
    });
    count.textContent = q === "" ? "" : shownGroups + " of " + groups.length + " groups, " + shownDocs + " of " + docs + " documents match";
  }
  function move(step) {
    var visible = groups.filter(function (g) { return !g.hidden; });
    if (visible.length === 0) return;
    var current = document.activeElement && document.activeElement.closest ? document.activeElement.closest(".cluster") : null;
    var i = visible.indexOf(current);
    var next = i < 0 ? (step > 0 ? 0 : visible.length - 1) : Math.min(visible.length - 1, Math.max(0, i + step));
    visible[next].focus();
  }
  filter.addEventListener("input", apply);
  filter.addEventListener("keydown", function (e) {
    if (e.key === "Escape") { filter.value = ""; apply(); filter.blur(); }
  });
  document.addEventListener("keydown", function (e) {
    if (e.ctrlKey || e.metaKey || e.altKey) return;
    var t = e.target;
    if (t && (t.tagName === "INPUT" || t.tagName === "TEXTAREA" || t.isContentEditable)) return;
    if (e.key === "/") { e.preventDefault(); filter.focus(); filter.select(); }
    else if (e.key === "j") { e.preventDefault(); move(1); }
    else if (e.key === "k") { e.preventDefault(); move(-1); }
    else if (e.key === "?") { e.preventDefault(); help.open = !help.open; if (help.open) help.querySelector("summary").focus(); }
  });
  apply();
})();
`;
