// orgdiff's interactive page: plain DOM code, no library, no network.
// Every string from the data reaches the page through textContent or an
// attribute set with setAttribute; the charts are parsed as XML (SVG).
(function () {
  "use strict";

  var data = JSON.parse(document.getElementById("orgdiff-data").textContent);
  var $ = function (id) { return document.getElementById(id); };
  var stage = $("stage");
  var slider = $("slider");
  var search = $("search");
  var parser = new DOMParser();
  var SVGNS = "http://www.w3.org/2000/svg";

  var state = {
    view: data.views.length - 1, // index into data.views
    more: null,                  // key of data.more on show, or null
    svg: null,
    base: null,                  // the whole chart's box, in SVG units
    vb: null,                    // the box on show
    fitted: true,                // not zoomed or panned since the last fit
    selected: null,              // entity id
    focus: null,                 // unit id zoomed to (in the URL)
    hits: [],
    hit: -1,
    closed: new Set()            // unit ids closed by the reader, kept across dates
  };

  // --- small helpers ----------------------------------------------------------------

  function el(tag, text, cls) {
    var node = document.createElement(tag);
    if (text !== undefined && text !== null) node.textContent = String(text);
    if (cls) node.className = cls;
    return node;
  }

  function fold(text) {
    return String(text || "").normalize("NFKC").toLowerCase();
  }

  function entityOf(svgId) {
    var m = /^(unit|person|more-units|more-people)-(.*)$/.exec(svgId || "");
    if (!m) return null;
    var id = m[2].replace(/_([0-9a-f]+)_/g, function (_, hex) {
      return String.fromCodePoint(parseInt(hex, 16));
    });
    return { kind: m[1], id: id };
  }

  function svgIdOf(kind, id) {
    var out = "";
    for (var ch of id) {
      out += /^[A-Za-z0-9.-]$/.test(ch) ? ch : "_" + ch.codePointAt(0).toString(16) + "_";
    }
    return kind + "-" + out;
  }

  function view() { return data.views[state.view]; }
  function snapIndex() { return view().snapshot; }

  function factsAt(entity, i) {
    var runs = (data.entities[entity] || {}).runs || [];
    for (var r = 0; r < runs.length; r++) {
      if (runs[r][0] <= i && i <= runs[r][1]) return runs[r][2];
    }
    return null;
  }

  function nameOf(id) {
    var e = data.entities[id];
    return e ? e.name : id;
  }

  function safeUrl(url) {
    if (typeof url !== "string") return null;
    try {
      var u = new URL(url);
      return u.protocol === "https:" || u.protocol === "http:" ? u.href : null;
    } catch (e) {
      return null;
    }
  }

  function sourceItem(key) {
    var s = data.sources[key];
    var li = el("li");
    if (!s) { li.textContent = key; return li; }
    var url = safeUrl(s.url);
    var title = el(url ? "a" : "span", s.title, "name");
    if (url) {
      title.setAttribute("href", url);
      title.setAttribute("rel", "noopener noreferrer");
      title.setAttribute("target", "_blank");
    }
    li.appendChild(title);
    var rest = [s.publisher, s.date].filter(Boolean).join(", ");
    if (rest) li.appendChild(el("span", " (" + rest + ")", "muted"));
    return li;
  }

  function sourceList(keys) {
    var ul = el("ul");
    keys.forEach(function (k) { ul.appendChild(sourceItem(k)); });
    return ul;
  }

  // --- the chart ----------------------------------------------------------------------

  function parseSvg(text) {
    var doc = parser.parseFromString(text, "image/svg+xml");
    var root = doc.documentElement;
    if (root.namespaceURI !== SVGNS || root.localName !== "svg" ||
        doc.getElementsByTagName("parsererror").length) {
      throw new Error("orgdiff: a chart could not be read");
    }
    // Belt and braces: the charts carry no script, link or handler; drop any.
    root.querySelectorAll("script, foreignObject").forEach(function (n) { n.remove(); });
    root.querySelectorAll("*").forEach(function (n) {
      Array.prototype.slice.call(n.attributes).forEach(function (a) {
        if (/^on/i.test(a.name) || /href$/i.test(a.name)) n.removeAttribute(a.name);
      });
    });
    var svg = document.importNode(root, true);
    svg.removeAttribute("width");
    svg.removeAttribute("height");
    svg.setAttribute("preserveAspectRatio", "xMidYMid meet");
    return svg;
  }

  function setBox(box) {
    state.vb = box;
    state.svg.setAttribute("viewBox", [box.x, box.y, box.w, box.h].join(" "));
  }

  function fit() {
    state.fitted = true;
    setBox({ x: state.base.x, y: state.base.y, w: state.base.w, h: state.base.h });
  }

  function show(svgText) {
    var svg = parseSvg(svgText);
    stage.textContent = "";
    stage.appendChild(svg);
    state.svg = svg;
    var vb = svg.viewBox.baseVal;
    state.base = { x: vb.x, y: vb.y, w: vb.width, h: vb.height };
    if (state.fitted || !state.vb) fit(); else setBox(state.vb);
  }

  function toUser(clientX, clientY) {
    var pt = state.svg.createSVGPoint();
    pt.x = clientX;
    pt.y = clientY;
    return pt.matrixTransform(state.svg.getScreenCTM().inverse());
  }

  function zoom(factor, clientX, clientY) {
    var r = stage.getBoundingClientRect();
    var p = toUser(clientX === undefined ? r.left + r.width / 2 : clientX,
                   clientY === undefined ? r.top + r.height / 2 : clientY);
    var b = state.vb;
    var w = b.w * factor;
    if (w < state.base.w / 60 || w > state.base.w * 8) return;
    state.fitted = false;
    setBox({ x: p.x - (p.x - b.x) * factor, y: p.y - (p.y - b.y) * factor,
             w: w, h: b.h * factor });
  }

  function panBy(dxPixels, dyPixels) {
    var ctm = state.svg.getScreenCTM();
    var b = state.vb;
    state.fitted = false;
    setBox({ x: b.x - dxPixels / ctm.a, y: b.y - dyPixels / ctm.d, w: b.w, h: b.h });
  }

  function boxOf(node) {
    var r = node.getBoundingClientRect();
    var a = toUser(r.left, r.top);
    var b = toUser(r.right, r.bottom);
    return { x: a.x, y: a.y, w: b.x - a.x, h: b.y - a.y };
  }

  function zoomTo(node, keepScale) {
    var t = boxOf(node);
    var b = state.vb;
    var w = b.w;
    var h = b.h;
    var k = 1;
    if (!keepScale || t.w > b.w || t.h > b.h) k = Math.max((t.w * 1.6) / b.w, (t.h * 1.6) / b.h);
    else if (t.w < b.w / 6) k = (t.w * 6) / b.w; // so its text is legible
    if (k !== 1) {
      w = b.w * k;
      h = b.h * k;
    }
    state.fitted = false;
    setBox({ x: t.x + t.w / 2 - w / 2, y: t.y + t.h / 2 - h / 2, w: w, h: h });
  }

  function nodeFor(id) {
    if (!state.svg) return null;
    return state.svg.querySelector('[id="' + CSS.escape(svgIdOf("unit", id)) + '"]') ||
      state.svg.querySelector('[id="' + CSS.escape(svgIdOf("person", id)) + '"]');
  }

  // --- closing a unit: what it holds is hidden, in place ---------------------------------

  function inside(inner, outer) {
    return inner.x >= outer.x - 0.5 && inner.y >= outer.y - 0.5 &&
      inner.x + inner.width <= outer.x + outer.width + 0.5 &&
      inner.y + inner.height <= outer.y + outer.height + 0.5;
  }

  function applyClosed() {
    if (!state.svg) return;
    state.svg.querySelectorAll(".folded-away").forEach(function (n) {
      n.classList.remove("folded-away");
    });
    state.svg.querySelectorAll(".closed-note").forEach(function (n) { n.remove(); });
    state.svg.querySelectorAll("g.closed").forEach(function (n) { n.classList.remove("closed"); });
    var all = Array.prototype.slice.call(
      state.svg.querySelectorAll("g.node, g.cluster, g.edge"));
    state.closed.forEach(function (uid) {
      var unit = state.svg.querySelector('g.cluster[id="' + CSS.escape(svgIdOf("unit", uid)) + '"]');
      if (!unit || unit.classList.contains("folded-away")) return;
      var box = unit.getBBox();
      var people = 0;
      var units = 0;
      all.forEach(function (n) {
        if (n === unit || n.classList.contains("folded-away")) return;
        if (inside(n.getBBox(), box)) {
          n.classList.add("folded-away");
          if (n.classList.contains("person")) people++;
          if (n.classList.contains("unit")) units++;
        }
      });
      unit.classList.add("closed");
      var note = document.createElementNS(SVGNS, "text");
      note.setAttribute("class", "closed-note");
      note.setAttribute("x", String(box.x + box.width / 2));
      note.setAttribute("y", String(box.y + Math.min(box.height - 6, 34)));
      note.setAttribute("text-anchor", "middle");
      note.textContent = "closed: " + people + (people === 1 ? " person" : " people") +
        (units ? ", " + units + (units === 1 ? " unit" : " units") : "") +
        " (double-click to open)";
      unit.appendChild(note);
    });
  }

  function toggleClosed(uid) {
    if (state.closed.has(uid)) state.closed.delete(uid); else state.closed.add(uid);
    applyClosed();
    runSearch(false);
    if (state.selected) renderInfo(state.selected);
  }

  // --- drawing a view -----------------------------------------------------------------

  function render() {
    var v = view();
    var svgText = state.more ? data.more[state.more] : v.chart;
    if (!svgText) { state.more = null; svgText = v.chart; }
    show(svgText);
    applyClosed();
    $("up").hidden = !state.more;
    slider.value = String(state.view);
    $("date").textContent = v.date;
    renderEvent();
    runSearch(false);
    if (state.selected) {
      var n = nodeFor(state.selected);
      if (n) n.classList.add("selected");
      renderInfo(state.selected);
    }
    if (state.focus) {
      var f = nodeFor(state.focus);
      if (f && state.fitted) zoomTo(f, false);
    }
    writeHash();
  }

  function renderEvent() {
    var v = view();
    var box = $("event");
    box.textContent = "";
    box.appendChild(el("h2", v.date + ": " + v.event, "name"));
    if (v.note) {
      var note = el("details");
      note.appendChild(el("summary", "Curator's note"));
      note.appendChild(el("p", v.note, "muted"));
      box.appendChild(note);
    }
    if (v.sources.length) {
      box.appendChild(el("h3", "Sources"));
      box.appendChild(sourceList(v.sources));
    }
    if (data.timeline && v.changes.length) {
      var prev = v.snapshot > 0 ? data.dates[v.snapshot - 1] : null;
      box.appendChild(el("h3", "Changes since " + prev));
      var ul = el("ul", null, "changes");
      v.changes.forEach(function (c) {
        var li = el("li");
        li.appendChild(el("span", c.text, "name"));
        if (c.sources.length) {
          li.appendChild(el("span", " (" + c.sources.map(function (k) {
            return (data.sources[k] || { title: k }).title;
          }).join("; ") + ")", "muted"));
        }
        ul.appendChild(li);
      });
      box.appendChild(ul);
    } else if (data.timeline && v.snapshot === 0) {
      box.appendChild(el("p", "The first snapshot.", "muted"));
    }
    if (v.summaries.length) {
      box.appendChild(el("p", "Grey boxes are summaries of what is folded: click one to open it.",
                         "muted"));
    }
  }

  function describe(kind, f) {
    if (!f) return "";
    if (kind === "unit") {
      return f.name + (f.parent ? ", part of " + nameOf(f.parent) : "") +
        (f.leads.length ? ", led by " + f.leads.map(nameOf).join(" and ") : "");
    }
    return [f.title, nameOf(f.unit), f.reports_to ? "reports to " + nameOf(f.reports_to) : null]
      .filter(Boolean).join(", ");
  }

  function dateLink(i) {
    var a = el("a", data.dates[i], "date-link");
    a.setAttribute("role", "button");
    a.setAttribute("tabindex", "0");
    a.addEventListener("click", function () { goToSnapshot(i); });
    return a;
  }

  function entityLink(id) {
    var a = el("a", nameOf(id), "date-link name");
    a.setAttribute("role", "button");
    a.setAttribute("tabindex", "0");
    a.addEventListener("click", function () { select(id, true); });
    return a;
  }

  function renderInfo(id) {
    var box = $("info");
    var e = data.entities[id];
    box.textContent = "";
    if (!e) { box.hidden = true; return; }
    box.hidden = false;
    var i = snapIndex();
    var f = factsAt(id, i);
    box.appendChild(el("h2", e.name, "name"));
    if (e.aliases.length) box.appendChild(el("p", "Also: " + e.aliases.join(", "), "muted name"));
    if (!f) {
      box.appendChild(el("p", "Not in the org on " + data.dates[i] + ".", "muted"));
    } else {
      var dl = el("dl");
      var row = function (term, value) {
        dl.appendChild(el("dt", term));
        var dd = el("dd");
        if (value instanceof Node) dd.appendChild(value); else dd.textContent = value;
        dl.appendChild(dd);
      };
      if (e.kind === "unit") {
        if (f.name !== e.name) row("name then", f.name);
        if (f.parent) row("part of", entityLink(f.parent));
        if (f.leads.length) {
          var span = el("span");
          f.leads.forEach(function (p, k) {
            if (k) span.appendChild(document.createTextNode(", "));
            span.appendChild(entityLink(p));
          });
          row(f.leads.length > 1 ? "leads" : "lead", span);
        }
        if (f.from.length) row("took over", f.from.map(nameOf).join(", "));
      } else {
        if (f.title) row("title", f.title);
        row("unit", entityLink(f.unit));
        row("manager", f.reports_to ? entityLink(f.reports_to) : "not known");
      }
      row("confidence", f.confidence);
      box.appendChild(dl);
      var drawn = e.kind === "unit" && state.svg &&
        state.svg.querySelector('g.cluster[id="' + CSS.escape(svgIdOf("unit", id)) + '"]');
      if (drawn) {
        var tools = el("p", null, "tools");
        var zoomButton = el("button", "Zoom to it");
        zoomButton.type = "button";
        zoomButton.addEventListener("click", function () {
          state.focus = id;
          zoomTo(nodeFor(id), false);
          writeHash();
        });
        var closeButton = el("button", state.closed.has(id) ? "Open it" : "Close it");
        closeButton.type = "button";
        closeButton.className = "toggle";
        closeButton.addEventListener("click", function () { toggleClosed(id); });
        tools.appendChild(zoomButton);
        tools.appendChild(document.createTextNode(" "));
        tools.appendChild(closeButton);
        box.appendChild(tools);
      }
      if (f.note) box.appendChild(el("p", f.note, "muted"));
      if (f.sources.length) {
        box.appendChild(el("h3", "Sources"));
        box.appendChild(sourceList(f.sources));
      }
    }
    box.appendChild(el("h3", "History"));
    var ul = el("ul", null, "history");
    e.runs.forEach(function (run) {
      var li = el("li", null, run[0] <= i && i <= run[1] ? "current-run" : "");
      li.appendChild(dateLink(run[0]));
      if (run[1] !== run[0]) {
        li.appendChild(document.createTextNode(" to "));
        li.appendChild(dateLink(run[1]));
      }
      li.appendChild(el("span", ": " + describe(e.kind, run[2]), "name"));
      ul.appendChild(li);
    });
    box.appendChild(ul);
  }

  function select(id, zoomToIt) {
    if (state.svg) {
      state.svg.querySelectorAll(".selected").forEach(function (n) {
        n.classList.remove("selected");
      });
    }
    state.selected = id;
    var n = id ? nodeFor(id) : null;
    if (n) {
      n.classList.add("selected");
      if (zoomToIt) zoomTo(n, true);
    }
    renderInfo(id);
  }

  function goToSnapshot(i) {
    for (var k = data.views.length - 1; k >= 0; k--) {
      if (data.views[k].snapshot <= i) { goToView(k); return; }
    }
    goToView(0);
  }

  function goToView(k) {
    k = Math.max(0, Math.min(data.views.length - 1, k));
    if (k === state.view && !state.more) return;
    state.view = k;
    state.more = null;
    render();
  }

  // --- search -------------------------------------------------------------------------

  function searchText(id, i) {
    var e = data.entities[id];
    if (!e) return "";
    var f = factsAt(id, i) || {};
    var parts = [e.name, id].concat(e.aliases);
    if (e.kind === "person") parts.push(f.title, f.unit ? nameOf(f.unit) : "");
    else parts.push(f.name);
    return fold(parts.join("\n"));
  }

  function runSearch(move) {
    var q = fold(search.value.trim());
    if (state.svg) {
      state.svg.querySelectorAll(".hit").forEach(function (n) {
        n.classList.remove("hit", "current");
      });
    }
    state.hits = [];
    state.hit = -1;
    if (!q || !state.svg) { $("hits").textContent = ""; return; }
    var i = snapIndex();
    state.svg.querySelectorAll("g.node[id], g.cluster[id]").forEach(function (n) {
      var who = entityOf(n.id);
      if (!who || who.kind.indexOf("more") === 0 || n.classList.contains("folded-away")) return;
      if (searchText(who.id, i).indexOf(q) >= 0) {
        n.classList.add("hit");
        state.hits.push(n);
      }
    });
    if (state.hits.length) {
      $("hits").textContent = state.hits.length + " found";
    } else {
      // Not in this chart: say whether the data has it at other dates.
      var elsewhere = Object.keys(data.entities).filter(function (id) {
        var e = data.entities[id];
        return fold([e.name, id].concat(e.aliases).join("\n")).indexOf(q) >= 0;
      }).length;
      $("hits").textContent = elsewhere ? "none here; " + elsewhere + " at other dates"
                                        : "none found";
    }
    if (move && state.hits.length) nextHit(1);
  }

  function nextHit(step) {
    if (!state.hits.length) return;
    if (state.hit >= 0) state.hits[state.hit].classList.remove("current");
    state.hit = (state.hit + step + state.hits.length) % state.hits.length;
    var n = state.hits[state.hit];
    n.classList.add("current");
    $("hits").textContent = (state.hit + 1) + " of " + state.hits.length;
    zoomTo(n, true);
    var who = entityOf(n.id);
    if (who) select(who.id, false);
  }

  // --- the URL fragment ---------------------------------------------------------------

  function writeHash() {
    var parts = ["date=" + encodeURIComponent(view().date)];
    if (state.focus) parts.push("focus=" + encodeURIComponent(state.focus));
    var hash = "#" + parts.join("&");
    if (location.hash !== hash) history.replaceState(null, "", hash);
  }

  function readHash() {
    var params = {};
    location.hash.replace(/^#/, "").split("&").forEach(function (kv) {
      var at = kv.indexOf("=");
      if (at > 0) {
        try {
          params[kv.slice(0, at)] = decodeURIComponent(kv.slice(at + 1));
        } catch (e) { /* a malformed fragment is ignored */ }
      }
    });
    if (params.date) {
      // The snapshot in effect on that date: the last one on or before it.
      var k = 0;
      data.views.forEach(function (v, j) { if (v.date <= params.date) k = j; });
      state.view = k;
    }
    state.focus = params.focus && data.entities[params.focus] ? params.focus : null;
    if (state.focus) state.selected = state.focus;
    state.more = null;
    state.fitted = true;
  }

  // --- events -------------------------------------------------------------------------

  var pointers = new Map();
  var dragged = false;
  var pinch = null;

  stage.addEventListener("pointerdown", function (ev) {
    pointers.set(ev.pointerId, { x: ev.clientX, y: ev.clientY });
    dragged = false;
    if (pointers.size === 2) {
      var p = Array.from(pointers.values());
      pinch = Math.hypot(p[0].x - p[1].x, p[0].y - p[1].y);
    }
  });
  stage.addEventListener("pointermove", function (ev) {
    var last = pointers.get(ev.pointerId);
    if (!last) return;
    var now = { x: ev.clientX, y: ev.clientY };
    if (pointers.size === 2 && pinch) {
      pointers.set(ev.pointerId, now);
      var p = Array.from(pointers.values());
      var dist = Math.hypot(p[0].x - p[1].x, p[0].y - p[1].y);
      if (dist > 0) zoom(pinch / dist, (p[0].x + p[1].x) / 2, (p[0].y + p[1].y) / 2);
      pinch = dist;
      dragged = true;
      return;
    }
    var dx = now.x - last.x;
    var dy = now.y - last.y;
    if (dragged || Math.abs(dx) + Math.abs(dy) > 3) {
      // Captured once it is a drag, so that a plain click reaches the box clicked.
      if (!stage.hasPointerCapture(ev.pointerId)) stage.setPointerCapture(ev.pointerId);
      dragged = true;
      stage.classList.add("dragging");
      panBy(dx, dy);
      pointers.set(ev.pointerId, now);
    }
  });
  function release(ev) {
    pointers.delete(ev.pointerId);
    if (pointers.size < 2) pinch = null;
    stage.classList.remove("dragging");
  }
  stage.addEventListener("pointerup", release);
  stage.addEventListener("pointercancel", release);

  stage.addEventListener("wheel", function (ev) {
    ev.preventDefault();
    zoom(Math.pow(1.0015, ev.deltaY), ev.clientX, ev.clientY);
  }, { passive: false });

  stage.addEventListener("click", function (ev) {
    if (dragged) { dragged = false; return; }
    var target = ev.target instanceof Element ? ev.target : null;
    var g = target && target.closest("g.node[id], g.cluster[id]");
    var who = g ? entityOf(g.id) : null;
    if (!who) { select(null, false); return; }
    if (g.classList.contains("summary")) {
      var key = view().date + "/" + g.id;
      if (data.more[key]) {
        state.more = key;
        state.fitted = true;
        state.focus = who.id;
        render();
        return;
      }
      var box = $("info");
      box.textContent = "";
      box.hidden = false;
      box.appendChild(el("h2", nameOf(who.id), "name"));
      box.appendChild(el("p", "Folded to keep the chart legible. To draw it:", "muted"));
      box.appendChild(el("pre", "orgdiff render " + view().date + " --focus " + who.id +
                         " --format html"));
      return;
    }
    select(who.id, false);
  });

  stage.addEventListener("dblclick", function (ev) {
    var target = ev.target instanceof Element ? ev.target : null;
    var g = target && target.closest("g.cluster[id]");
    var who = g ? entityOf(g.id) : null;
    if (!who || who.kind !== "unit" || g.classList.contains("summary")) return;
    toggleClosed(who.id);
  });

  slider.addEventListener("input", function () { goToView(Number(slider.value)); });
  $("prev").addEventListener("click", function () { goToView(state.view - 1); });
  $("next").addEventListener("click", function () { goToView(state.view + 1); });
  $("zoom-in").addEventListener("click", function () { zoom(1 / 1.25); });
  $("zoom-out").addEventListener("click", function () { zoom(1.25); });
  $("fit").addEventListener("click", function () {
    state.focus = null;
    fit();
    writeHash();
  });
  $("up").addEventListener("click", function () {
    state.more = null;
    state.focus = null;
    state.fitted = true;
    render();
  });

  search.addEventListener("input", function () { runSearch(false); });
  search.addEventListener("keydown", function (ev) {
    if (ev.key === "Enter") {
      ev.preventDefault();
      if (state.hit < 0 && !state.hits.length) runSearch(true);
      else nextHit(ev.shiftKey ? -1 : 1);
    } else if (ev.key === "Escape") {
      search.value = "";
      runSearch(false);
    }
  });

  document.addEventListener("keydown", function (ev) {
    var t = ev.target;
    if (t === search || (t instanceof HTMLInputElement && t !== slider)) return;
    if (ev.ctrlKey || ev.metaKey || ev.altKey) return;
    var step = 60;
    switch (ev.key) {
      case "ArrowLeft":
        if (ev.shiftKey) panBy(step, 0);
        else if (t !== slider) goToView(state.view - 1);
        else return;
        break;
      case "ArrowRight":
        if (ev.shiftKey) panBy(-step, 0);
        else if (t !== slider) goToView(state.view + 1);
        else return;
        break;
      case "ArrowUp": panBy(0, step); break;
      case "ArrowDown": panBy(0, -step); break;
      case "+": case "=": zoom(1 / 1.25); break;
      case "-": case "_": zoom(1.25); break;
      case "0": fit(); break;
      case "/": search.focus(); break;
      default: return;
    }
    ev.preventDefault();
  });

  window.addEventListener("hashchange", function () { readHash(); render(); });
  window.addEventListener("resize", function () { if (state.fitted) fit(); });

  // --- start --------------------------------------------------------------------------

  $("org").textContent = data.org;
  document.title = data.org + (data.timeline ? ": timeline" : ": " + view().date);
  slider.max = String(data.views.length - 1);
  if (data.views.length < 2) $("when").hidden = true;
  readHash();
  render();
  document.documentElement.setAttribute("data-ready", "true");
})();
