// Filtering for the soralit paper list. Plain JavaScript, no dependencies, no requests.
// The filter state lives in the URL hash (#q=...&category=a,b&venue=CVPR&year=2022-2024):
// a link opens the same view, and back/forward step through the views.
(function () {
  "use strict";
  var source = document.getElementById("soralit-data");
  var form = document.getElementById("filters");
  if (!source || !form) return;
  var data = JSON.parse(source.textContent);
  var papers = data.papers;
  var total = papers.length;
  var q = document.getElementById("q");
  var venue = document.getElementById("venue");
  var yearFrom = document.getElementById("year-from");
  var yearTo = document.getElementById("year-to");
  var boxes = Array.prototype.slice.call(form.querySelectorAll('input[name="category"]'));
  var count = document.getElementById("count");
  var empty = document.getElementById("empty");

  function fold(value) {
    return String(value).normalize("NFKD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  }

  // Folded once at load, so a keystroke costs one indexOf per paper and word.
  var hay = papers.map(function (p) { return fold(p.t + " \u0001 " + p.a + " \u0001 " + p.v); });
  var venues = papers.map(function (p) { return fold(p.v); });

  // Each list item with its paper and category block (a paper may sit in several blocks).
  var blocks = Array.prototype.slice.call(document.querySelectorAll("section.category"));
  var sections = Array.prototype.slice.call(document.querySelectorAll("section.section"));
  var items = [];
  blocks.forEach(function (block, b) {
    var lis = block.querySelectorAll("li.paper");
    for (var k = 0; k < lis.length; k++) {
      items.push({ el: lis[k], paper: +lis[k].getAttribute("data-i"), block: b, shown: true });
    }
  });
  var blockSection = blocks.map(function (block) { return sections.indexOf(block.parentNode); });
  var blockShown = blocks.map(function () { return true; });
  var blockSlug = blocks.map(function (block) { return block.getAttribute("data-category"); });
  // A category shows its first LIMIT matches and a button for the rest: a keystroke then
  // touches at most LIMIT items per category, even on a page of 10k papers.
  var LIMIT = 50;
  var expanded = blocks.map(function () { return false; });
  var more = blocks.map(function (block) { return block.querySelector("button.more"); });
  var lastState = null;
  var sectionShown = sections.map(function () { return true; });

  function emptyState() { return { q: "", categories: [], venue: "", from: "", to: "" }; }

  function readControls() {
    return {
      q: q.value,
      categories: boxes.filter(function (b) { return b.checked; }).map(function (b) { return b.value; }),
      venue: venue.value,
      from: yearFrom.value,
      to: yearTo.value,
    };
  }

  function ensureOption(select, value) {
    if (!value) return;
    for (var k = 0; k < select.options.length; k++) if (select.options[k].value === value) return;
    select.add(new Option(value, value));
  }

  function writeControls(state) {
    q.value = state.q;
    boxes.forEach(function (b) { b.checked = state.categories.indexOf(b.value) >= 0; });
    ensureOption(venue, state.venue);
    ensureOption(yearFrom, state.from);
    ensureOption(yearTo, state.to);
    venue.value = state.venue;
    yearFrom.value = state.from;
    yearTo.value = state.to;
  }

  function stateToHash(s) {
    var parts = [];
    if (s.q.trim()) parts.push("q=" + encodeURIComponent(s.q.trim()));
    if (s.categories.length) parts.push("category=" + s.categories.map(encodeURIComponent).join(","));
    if (s.venue) parts.push("venue=" + encodeURIComponent(s.venue));
    if (s.from || s.to) parts.push("year=" + (s.from === s.to ? s.from : s.from + "-" + s.to));
    return parts.join("&");
  }

  function hashToState(hash) {
    var s = emptyState();
    var params = new URLSearchParams(hash.replace(/^#/, ""));
    var known = boxes.map(function (b) { return b.value; });
    s.q = params.get("q") || "";
    params.getAll("category").forEach(function (value) {
      value.split(",").forEach(function (slug) {
        slug = slug.trim().toLowerCase();
        var inner = Object.prototype.hasOwnProperty.call(data.subtree, slug);
        // A section stands for its categories, as in `soralit list --category`.
        var wanted = known.indexOf(slug) < 0 && inner ? data.subtree[slug] : [slug];
        wanted.forEach(function (c) {
          if (known.indexOf(c) >= 0 && s.categories.indexOf(c) < 0) s.categories.push(c);
        });
      });
    });
    s.venue = params.get("venue") || "";
    var year = /^\s*(\d{4})?\s*(-)?\s*(\d{4})?\s*$/.exec(params.get("year") || "");
    if (year && (year[1] || year[3])) {
      s.from = year[1] || "";
      s.to = year[2] ? year[3] || "" : year[1];
    }
    return s;
  }

  // A category stands for itself and the categories below it, as in `soralit list`.
  function below(slugs) {
    var out = [];
    slugs.forEach(function (slug) {
      var tree = Object.prototype.hasOwnProperty.call(data.subtree, slug) ? data.subtree[slug] : [slug];
      tree.forEach(function (c) { if (out.indexOf(c) < 0) out.push(c); });
    });
    return out;
  }

  function compile(s) {
    var words = fold(s.q).split(/\s+/).filter(Boolean);
    var cats = s.categories.length ? below(s.categories) : null;
    return {
      words: words,
      cats: cats,
      venue: fold(s.venue),
      years: Boolean(s.from || s.to),
      low: s.from ? +s.from : -Infinity,
      high: s.to ? +s.to : Infinity,
      active: Boolean(words.length || cats || s.venue || s.from || s.to),
    };
  }

  function matches(i, f) {
    // As `soralit list --venue`: the label starts with it (CVPR: CVPR'23, CVPR Workshop'23).
    if (f.venue && venues[i].lastIndexOf(f.venue, 0) !== 0) return false;
    if (f.years) {
      var y = papers[i].y;
      if (y === null || y < f.low || y > f.high) return false;
    }
    var h = hay[i];
    for (var w = 0; w < f.words.length; w++) if (h.indexOf(f.words[w]) < 0) return false;
    return true;
  }

  function plural(n) { return n + " paper" + (n === 1 ? "" : "s"); }

  function label(b, matched) {
    var button = more[b];
    if (!button) return;
    var needed = matched > LIMIT;
    var text = expanded[b] ? "Show the first " + LIMIT : "Show all " + plural(matched);
    if (button.hidden === needed) button.hidden = !needed;
    if (!needed) return;
    if (button.textContent !== text) button.textContent = text;
    button.setAttribute("aria-expanded", expanded[b] ? "true" : "false");
  }

  // Writes only what changed and reads no layout, so a keystroke causes one style pass.
  function apply(state) {
    var f = compile(state);
    lastState = state;
    var hit = new Uint8Array(total);
    for (var i = 0; i < total; i++) hit[i] = matches(i, f) ? 1 : 0;
    var wanted = blockSlug.map(function (slug) { return !f.cats || f.cats.indexOf(slug) >= 0; });
    var seen = new Uint8Array(total);
    var shown = 0;
    var perBlock = new Int32Array(blocks.length);
    for (var k = 0; k < items.length; k++) {
      var it = items[k];
      var show = hit[it.paper] === 1 && wanted[it.block];
      if (show) {
        perBlock[it.block]++;
        if (!seen[it.paper]) { seen[it.paper] = 1; shown++; }
        show = expanded[it.block] || perBlock[it.block] <= LIMIT;
      }
      if (show !== it.shown) {
        it.el.hidden = !show;
        if (show) it.el.removeAttribute("aria-hidden");
        else it.el.setAttribute("aria-hidden", "true");
        it.shown = show;
      }
    }
    var perSection = new Int32Array(sections.length);
    blocks.forEach(function (block, b) {
      label(b, perBlock[b]);
      var visible = perBlock[b] > 0 || !f.active;
      if (visible) perSection[blockSection[b]]++;
      if (visible !== blockShown[b]) { block.hidden = !visible; blockShown[b] = visible; }
    });
    sections.forEach(function (section, s) {
      var visible = perSection[s] > 0;
      if (visible !== sectionShown[s]) { section.hidden = !visible; sectionShown[s] = visible; }
    });
    count.textContent = f.active ? shown + " of " + plural(total) : plural(total);
    empty.hidden = shown > 0 || total === 0;
  }

  // The URL follows the view. pushState/replaceState, not location.hash: they neither
  // scroll nor fire hashchange. While someone types, the URL is written once they pause,
  // so a keystroke only filters; the first keystroke of a search gets its history entry.
  function currentHash() { return location.hash.replace(/^#/, ""); }
  var lastHash = currentHash();
  var typing = "";  // "" not typing, "new" a search not yet in the history, "more" it is
  var pending = null;

  function writeHash(push) {
    clearTimeout(pending);
    pending = null;
    var hash = stateToHash(lastState);
    if (hash === currentHash()) return;
    lastHash = hash;
    var url = hash ? "#" + hash : location.pathname + location.search;
    try {
      if (push) history.pushState(null, "", url);
      else history.replaceState(null, "", url);
    } catch (e) {
      if (push) location.hash = hash;  // a browser refusing the History API for this page
      else location.replace("#" + hash);
    }
  }

  function flush() {
    if (pending === null) return;
    writeHash(typing === "new");
    typing = "more";
  }

  function update(push) {
    expanded = expanded.map(function () { return false; });  // a new view starts short
    apply(readControls());
    writeHash(push);
  }

  function restore() {
    clearTimeout(pending);
    pending = null;
    typing = "";
    expanded = expanded.map(function () { return false; });
    var state = hashToState(location.hash);
    writeControls(state);
    apply(state);
  }

  q.addEventListener("input", function () {
    if (!typing) typing = "new";
    expanded = expanded.map(function () { return false; });
    apply(readControls());
    clearTimeout(pending);
    pending = setTimeout(flush, 300);
  });
  q.addEventListener("blur", function () { flush(); typing = ""; });
  form.addEventListener("change", function (event) {
    if (event.target === q) return;
    flush();
    typing = "";
    update(true);
  });
  form.addEventListener("submit", function (event) { event.preventDefault(); flush(); });
  document.getElementById("clear").addEventListener("click", function () {
    flush();
    typing = "";
    writeControls(emptyState());
    update(true);
  });
  function onNavigate() {
    var hash = currentHash();
    if (hash === lastHash) return;  // our own write, or a second event for one step
    lastHash = hash;
    restore();
  }
  window.addEventListener("popstate", onNavigate);
  window.addEventListener("hashchange", onNavigate);
  more.forEach(function (button, b) {
    if (!button) return;
    button.addEventListener("click", function () {
      expanded[b] = !expanded[b];
      apply(lastState);
    });
  });
  document.addEventListener("keydown", function (event) {
    var tag = (event.target.tagName || "").toLowerCase();
    if (event.key === "/" && tag !== "input" && tag !== "select" && tag !== "textarea") {
      event.preventDefault();
      q.focus();
    }
  });

  function copyFallback(text) {
    var area = document.createElement("textarea");
    area.value = text;
    area.setAttribute("readonly", "");
    area.style.position = "fixed";
    area.style.opacity = "0";
    document.body.appendChild(area);
    area.select();
    var ok = false;
    try { ok = document.execCommand("copy"); } catch (e) { ok = false; }
    document.body.removeChild(area);
    return ok;
  }

  var copy = document.getElementById("copy-citation");
  if (copy) {
    var status = document.getElementById("copy-status");
    var done = function (ok) { status.textContent = ok ? "Copied" : "Press Ctrl+C to copy"; };
    copy.hidden = false;
    copy.addEventListener("click", function () {
      var text = document.getElementById("citation-text").textContent;
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(text).then(
          function () { done(true); },
          function () { done(copyFallback(text)); }
        );
      } else {
        done(copyFallback(text));
      }
    });
  }

  restore();
  form.hidden = false;
})();
