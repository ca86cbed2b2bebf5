// orgdiff's interactive page: plain DOM code, no library, no network.
// The chart is laid out here, from the embedded data: nested unit boxes (the
// unit's name and its leads heading the box, members hanging in one or two
// columns, child units in rows beneath), a budget of boxes with summaries for
// what is folded, and a click on a unit's name or on a summary closes or
// opens it and lays the chart out again. Every string from the data reaches
// the page through textContent or setAttribute, never as markup.
(function () {
  "use strict";

  var data = JSON.parse(document.getElementById("orgdiff-data").textContent);
  var $ = function (id) { return document.getElementById(id); };
  var stage = $("stage");
  var slider = $("slider");
  var search = $("search");
  var SVGNS = "http://www.w3.org/2000/svg";
  var options = data.options || {};
  var BUDGET = options.budget === null || options.budget === undefined ? Infinity : options.budget;
  var LOCAL = 60;          // boxes a summary opens with, when it is clicked
  var MEMBERS = 24;        // members a unit shows at most (but with --all), the rest folded
  var ORDER = Object.keys(data.entities);
  var RANK = new Map(ORDER.map(function (id, n) { return [id, n]; }));

  var state = {
    view: data.views.length - 1, // index into data.views
    svg: null,
    base: null,                  // the whole chart's box, in SVG units
    vb: null,                    // the box on show
    fitted: true,                // not zoomed or panned since the last fit
    selected: null,              // entity id
    focus: null,                 // unit id zoomed to (in the URL)
    hits: [],                    // entity ids: those drawn first, then those folded
    drawnHits: 0,
    hit: -1,
    boxes: new Map(),            // svg id -> {x, y, w, h}, the boxes drawn
    summaries: 0,
    closed: new Set(),           // unit ids closed by the reader, kept across dates
    opened: new Set(),           // unit ids opened by the reader, kept across dates
    allMembers: new Set(),       // units whose every member the reader asked for
    allKids: new Set(),          // units whose every child unit the reader asked for
    reveal: new Set()            // people the reader went to (search), drawn
  };

  // --- small helpers ----------------------------------------------------------------

  function el(tag, text, cls) {
    var node = document.createElement(tag);
    if (text !== undefined && text !== null) node.textContent = String(text);
    if (cls) node.className = cls;
    return node;
  }

  function svgEl(tag, attrs, cls) {
    var node = document.createElementNS(SVGNS, tag);
    if (attrs) {
      Object.keys(attrs).forEach(function (k) { node.setAttribute(k, String(attrs[k])); });
    }
    if (cls) node.setAttribute("class", cls);
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

  // As orgdiff.render.svg_id: letters, digits, "-" and "." kept, the rest as _HEX_.
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

  function plural(n, word, many) {
    return n.toLocaleString("en") + " " + (n === 1 ? word : (many || word + "s"));
  }

  function count(people, units) {
    return plural(people, "person", "people") + (units > 1 ? " in " + plural(units, "unit") : "");
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

  // --- the org at a view: both dates of a diff in one ----------------------------------

  var models = [];

  // The units and people of a view (with a diff: the later date's facts where
  // there are some, else the earlier date's, as render.py's union), the tree,
  // each unit's members, and the totals below each unit for the summaries.
  function model(k) {
    if (models[k]) return models[k];
    var v = data.views[k];
    var i = v.snapshot;
    var j = v.diff ? i - 1 : -1;
    var units = new Map();
    var people = new Map();
    var later = new Set();
    ORDER.forEach(function (id) {
      var e = data.entities[id];
      var f = factsAt(id, i);
      var facts = f || (j >= 0 ? factsAt(id, j) : null);
      if (!facts) return;
      if (e.kind === "unit") {
        units.set(id, { name: facts.name, parent: facts.parent, leads: facts.leads,
                        confidence: facts.confidence });
        if (f) later.add(id);
      } else {
        people.set(id, facts);
      }
    });
    var roots = [];
    units.forEach(function (u, id) {
      if (!u.parent || !units.has(u.parent) || u.parent === id) roots.push(id);
    });
    if (roots.length > 1) { // a removed old root hangs under the new root
      var fresh = roots.filter(function (r) { return later.has(r); })[0];
      if (fresh !== undefined) {
        roots.forEach(function (r) { if (r !== fresh) units.get(r).parent = fresh; });
        roots = [fresh];
      }
    }
    var kids = new Map();
    units.forEach(function (u, id) {
      if (roots.indexOf(id) < 0) {
        if (!kids.has(u.parent)) kids.set(u.parent, []);
        kids.get(u.parent).push(id);
      }
    });
    var tops = options.focus && units.has(options.focus) ? [options.focus] : roots;
    var level = new Map();
    var queue = tops.map(function (t) { return [t, 0]; });
    var order = [];
    for (var q = 0; q < queue.length; q++) {
      var uid = queue[q][0];
      if (level.has(uid)) continue;
      level.set(uid, queue[q][1]);
      order.push(uid);
      (kids.get(uid) || []).forEach(function (c) { queue.push([c, queue[q][1] + 1]); });
    }
    // Members, those higher in their unit's reporting lines first.
    var members = new Map();
    var within = new Map();
    function depthIn(pid) {
      if (within.has(pid)) return within.get(pid);
      within.set(pid, 0);
      var p = people.get(pid);
      var boss = p.reports_to;
      var d = boss && boss !== pid && people.has(boss) && people.get(boss).unit === p.unit
        ? depthIn(boss) + 1 : 0;
      within.set(pid, d);
      return d;
    }
    if (!options.units_only) {
      people.forEach(function (p, pid) {
        if (!level.has(p.unit)) return;
        if (!members.has(p.unit)) members.set(p.unit, []);
        members.get(p.unit).push(pid);
      });
      members.forEach(function (list) {
        list.sort(function (a, b) {
          return depthIn(a) - depthIn(b) || RANK.get(a) - RANK.get(b);
        });
      });
    }
    var subPeople = new Map();
    var subUnits = new Map();
    for (var n = order.length - 1; n >= 0; n--) {
      var u = order[n];
      var sp = (members.get(u) || []).length;
      var su = 1;
      (kids.get(u) || []).forEach(function (c) {
        if (level.has(c)) { sp += subPeople.get(c); su += subUnits.get(c); }
      });
      subPeople.set(u, sp);
      subUnits.set(u, su);
    }
    var marks = v.marks || { units: {}, people: {}, renamed: {}, moved: {}, lineage: [], ended: [] };
    models[k] = {
      units: units, people: people, kids: kids, tops: tops, level: level, order: order,
      members: members, subPeople: subPeople, subUnits: subUnits, marks: marks, text: new Map()
    };
    return models[k];
  }

  function ancestors(m, uid) { // from the top down to uid's parent
    var out = [];
    var seen = new Set([uid]);
    var up = m.units.get(uid) ? m.units.get(uid).parent : null;
    while (up && m.level.has(up) && !seen.has(up)) {
      out.unshift(up);
      seen.add(up);
      up = m.units.get(up).parent;
    }
    return out;
  }

  // --- what to draw: the budget ---------------------------------------------------------

  // Breadth-first from `starts`, as render.py's budget: a unit opens when its box,
  // its members and a box for each child unit fit what is left of `limit`; one
  // that does not stays a summary box. A start too big alone shows its first
  // members (those highest in its reporting lines) and some of its child units.
  function grow(m, plan, starts, limit) {
    var used = 0;
    var queue = starts.slice();
    for (var q = 0; q < queue.length; q++) {
      var uid = queue[q];
      var top = starts.indexOf(uid) >= 0;
      if (plan.opened.has(uid) || state.closed.has(uid) || !m.level.has(uid)) continue;
      if (!top && options.depth !== null && options.depth !== undefined &&
          m.level.get(uid) > options.depth) continue;
      var mem = m.members.get(uid) || [];
      if (mem.length > MEMBERS + 1 && limit !== Infinity && !state.allMembers.has(uid)) {
        mem = mem.slice(0, MEMBERS);
      }
      var children = (m.kids.get(uid) || []).filter(function (c) { return m.level.has(c); });
      var full = 1 + mem.length + children.length;
      var avail = limit - used + (top ? 0 : 1);
      if (full <= avail) {
        plan.opened.set(uid, new Set(mem));
        plan.shownKids.set(uid, null);
        used += full - (top ? 0 : 1);
        queue.push.apply(queue, children);
      } else if (top) {
        var slots = state.allKids.has(uid) ? children.length
          : Math.min(children.length, Math.max(1, Math.floor(avail / 4)));
        var room = Math.max(1, avail - 2 - slots);
        var cut = state.allMembers.has(uid) ? mem.length : Math.min(room, mem.length);
        plan.opened.set(uid, new Set(mem.slice(0, cut)));
        var shown = slots >= children.length ? children : children.slice(0, Math.max(0, slots - 1));
        plan.shownKids.set(uid, slots >= children.length ? null : new Set(shown));
        used += 1 + cut + 1 + slots;
        queue.push.apply(queue, shown);
      }
    }
  }

  function plan(m) {
    var p = { opened: new Map(), shownKids: new Map() };
    grow(m, p, m.tops, BUDGET);
    // What the reader opened (a summary clicked, a search result gone to): the
    // units above it open as far as needed, and it opens with a budget of its own.
    var wanted = [];
    state.opened.forEach(function (uid) { if (m.level.has(uid)) wanted.push(uid); });
    state.reveal.forEach(function (pid) {
      var person = m.people.get(pid);
      if (person && m.level.has(person.unit)) wanted.push(person.unit);
    });
    wanted.sort(function (a, b) { return m.level.get(a) - m.level.get(b); });
    wanted.forEach(function (uid) {
      var path = ancestors(m, uid).concat([uid]);
      if (path.some(function (u) { return state.closed.has(u); })) return;
      path.forEach(function (u, n) {
        if (!p.opened.has(u)) grow(m, p, [u], LOCAL);
        var next = path[n + 1];
        var shown = p.shownKids.get(u);
        if (next !== undefined && shown) shown.add(next);
      });
    });
    state.allMembers.forEach(function (uid) {
      if (p.opened.has(uid)) {
        (m.members.get(uid) || []).forEach(function (pid) { p.opened.get(uid).add(pid); });
      }
    });
    state.allKids.forEach(function (uid) { if (p.opened.has(uid)) p.shownKids.set(uid, null); });
    state.reveal.forEach(function (pid) {
      var person = m.people.get(pid);
      if (person && p.opened.has(person.unit)) p.opened.get(person.unit).add(pid);
    });
    return p;
  }

  // --- the boxes: what each says ------------------------------------------------------

  var FONT = 'Verdana, "DejaVu Sans", sans-serif';
  var SIZE = { person: 10, unit: 11, title: 14, edge: 9 };
  var LINE = 1.3;
  var MAXTEXT = { person: 180, unit: 210 };
  var measurer = document.createElement("canvas").getContext("2d");
  var widths = new Map();

  function textWidth(text, size, bold) {
    var key = (bold ? "b" : "") + size + "\u0000" + text;
    var w = widths.get(key);
    if (w === undefined) {
      measurer.font = (bold ? "bold " : "") + size + "px " + FONT;
      w = measurer.measureText(text).width * 1.04; // a margin for the SVG's own rounding
      widths.set(key, w);
    }
    return w;
  }

  // `text` as lines no wider than `max` (long words broken), nothing dropped but spaces.
  function wrap(text, size, bold, max) {
    var words = String(text).split(/\s+/).filter(Boolean);
    var lines = [];
    var line = "";
    words.forEach(function (word) {
      var next = line ? line + " " + word : word;
      if (textWidth(next, size, bold) <= max) { line = next; return; }
      if (line) lines.push(line);
      line = "";
      while (textWidth(word, size, bold) > max) {
        var cut = 1;
        var chars = Array.from(word);
        while (cut < chars.length && textWidth(chars.slice(0, cut + 1).join(""), size, bold) <= max) cut++;
        lines.push(chars.slice(0, cut).join(""));
        word = chars.slice(cut).join("");
      }
      line = word;
    });
    if (line || !lines.length) lines.push(line);
    return lines;
  }

  // A block of text: [{text, size, bold}] wrapped.
  function lines(parts, kind) {
    var out = [];
    parts.forEach(function (p) {
      if (!p || !p.text) return;
      wrap(p.text, p.size, p.bold, MAXTEXT[kind]).forEach(function (t) {
        out.push({ text: t, size: p.size, bold: !!p.bold, cls: p.cls || "" });
      });
    });
    return out;
  }

  function uncertain(f) { return f && f.confidence && f.confidence !== "confirmed"; }

  function personBox(m, pid) {
    var p = m.people.get(pid);
    var mark = m.marks.people[pid];
    var parts = [{ text: nameOf(pid), size: SIZE.person, bold: true }];
    if (p.title) parts.push({ text: p.title, size: SIZE.person });
    if (m.marks.moved[pid]) parts.push({ text: "from " + nameOf(m.marks.moved[pid]), size: SIZE.person });
    if (mark === "added" || mark === "removed") parts.push({ text: "(" + mark + ")", size: SIZE.person });
    if (uncertain(p)) parts.push({ text: "[" + p.confidence + "]", size: SIZE.person });
    return {
      type: "person", id: svgIdOf("person", pid), entity: pid,
      cls: "node person" + (mark ? " " + mark : "") + (uncertain(p) ? " uncertain" : ""),
      lines: lines(parts, "person")
    };
  }

  function summaryBox(m, kind, uid, text) {
    var mark = kind === "unit" ? m.marks.units[uid] : null;
    return {
      type: "summary", id: svgIdOf(kind, uid), entity: uid, kind: kind,
      cls: "node summary" + (kind === "unit" ? " unit" : "") + (mark ? " " + mark : "") +
        (kind === "unit" && state.closed.has(uid) ? " closed" : ""),
      lines: lines(text, "person")
    };
  }

  // The tree of boxes to draw, from the plan.
  function build(m, p) {
    var drawn = new Set();
    p.opened.forEach(function (set) { set.forEach(function (pid) { drawn.add(pid); }); });
    // A lead heads the highest open unit they lead, at or below their own unit.
    var home = new Map();
    drawn.forEach(function (pid) { home.set(pid, m.people.get(pid).unit); });
    var placed = new Set();
    var byLevel = Array.from(p.opened.keys()).sort(function (a, b) {
      return m.level.get(a) - m.level.get(b);
    });
    byLevel.forEach(function (uid) {
      m.units.get(uid).leads.forEach(function (lead) {
        if (!drawn.has(lead) || placed.has(lead)) return;
        var own = m.people.get(lead).unit;
        if (own === uid || ancestors(m, uid).indexOf(own) >= 0) {
          home.set(lead, uid);
          placed.add(lead);
        }
      });
    });
    var residents = new Map();
    drawn.forEach(function (pid) {
      var u = home.get(pid);
      if (!residents.has(u)) residents.set(u, []);
      residents.get(u).push(pid);
    });
    var counts = { summaries: 0, people: 0, units: 0 };

    function unitBox(uid) {
      var u = m.units.get(uid);
      var mark = m.marks.units[uid];
      var heads = u.leads.filter(function (l) { return home.get(l) === uid; });
      var parts = [{ text: u.name, size: SIZE.unit, bold: true }];
      if (m.marks.renamed[uid]) parts.push({ text: "formerly " + m.marks.renamed[uid], size: SIZE.unit });
      if (m.marks.moved[uid]) parts.push({ text: "moved from " + nameOf(m.marks.moved[uid]), size: SIZE.unit });
      var others = u.leads.filter(function (l) { return heads.indexOf(l) < 0; });
      if (others.length) {
        parts.push({ text: (others.length > 1 ? "leads: " : "lead: ") + others.map(nameOf).join(" and "),
                     size: SIZE.unit });
      }
      if (mark === "added" || mark === "removed") parts.push({ text: "(" + mark + ")", size: SIZE.unit });
      if (uncertain(u)) parts.push({ text: "[" + u.confidence + "]", size: SIZE.unit });
      // Members in the order of their reporting lines: each below their manager.
      var mine = (residents.get(uid) || []).filter(function (pid) { return heads.indexOf(pid) < 0; });
      var mineSet = new Set(mine);
      var below = new Map();
      var roots = [];
      mine.forEach(function (pid) {
        var boss = m.people.get(pid).reports_to;
        if (boss && boss !== pid && mineSet.has(boss)) {
          if (!below.has(boss)) below.set(boss, []);
          below.get(boss).push(pid);
        } else {
          roots.push(pid);
        }
      });
      var outline = [];
      var seen = new Set();
      (function walk(list, depth) {
        list.forEach(function (pid) {
          if (seen.has(pid)) return;
          seen.add(pid);
          var box = personBox(m, pid);
          box.indent = Math.min(depth, 3);
          outline.push(box);
          walk(below.get(pid) || [], depth + 1);
        });
      })(roots, 0);
      mine.forEach(function (pid) { if (!seen.has(pid)) outline.push(personBox(m, pid)); });
      var hidden = (m.members.get(uid) || []).length - p.opened.get(uid).size;
      if (hidden > 0) {
        counts.summaries++;
        counts.people += hidden;
        var more = summaryBox(m, "more-people", uid, [
          { text: "… and " + hidden.toLocaleString("en") + " more " + (hidden === 1 ? "person" : "people"),
            size: SIZE.person, bold: true },
          { text: "in " + u.name, size: SIZE.person }]);
        more.indent = 0;
        outline.push(more);
      }
      var children = [];
      var shown = p.shownKids.get(uid);
      var rest = [];
      (m.kids.get(uid) || []).forEach(function (c) {
        if (!m.level.has(c)) return;
        if (p.opened.has(c)) children.push(unitBox(c));
        else if (!shown || shown.has(c)) children.push(unitSummary(c));
        else rest.push(c);
      });
      if (rest.length) {
        var np = 0;
        var nu = 0;
        rest.forEach(function (c) { np += m.subPeople.get(c); nu += m.subUnits.get(c); });
        counts.summaries++;
        counts.people += np;
        counts.units += nu;
        children.push(summaryBox(m, "more-units", uid, [
          { text: plural(rest.length, "more unit") + " under " + u.name, size: SIZE.person, bold: true },
          { text: "— " + count(np, nu), size: SIZE.person }]));
      }
      return {
        type: "unit", id: svgIdOf("unit", uid), entity: uid,
        cls: "cluster unit" + (mark ? " " + mark : "") + (uncertain(u) ? " uncertain" : ""),
        lines: lines(parts, "unit"),
        heads: heads.map(function (pid) { return personBox(m, pid); }),
        members: outline,
        children: children
      };
    }

    function unitSummary(uid) {
      counts.summaries++;
      counts.people += m.subPeople.get(uid);
      counts.units += m.subUnits.get(uid);
      var u = m.units.get(uid);
      var text = [{ text: u.name, size: SIZE.person, bold: true }];
      var st = m.marks.units[uid];
      if (st === "added" || st === "removed") text.push({ text: "(" + st + ")", size: SIZE.person });
      text.push({ text: "— " + count(m.subPeople.get(uid), m.subUnits.get(uid)), size: SIZE.person });
      return summaryBox(m, "unit", uid, text);
    }

    var tops = m.tops.map(function (t) { return p.opened.has(t) ? unitBox(t) : unitSummary(t); });
    return { tops: tops, counts: counts };
  }

  // --- the layout ---------------------------------------------------------------------

  var PAD = 8;        // inside a unit's box
  var CPX = 6;        // a card's text from its sides
  var CPY = 4;        // and from its top and bottom
  var GAP = 12;       // between boxes side by side
  var ROWGAP = 22;    // above a row of child units: room for the line to them
  var VGAP = 5;       // between cards stacked
  var SP = 14;        // from the spine to a card hanging from it
  var INDENT = 12;    // a report below their manager, in one unit
  var MINCARD = 96;
  var TOGGLE = 9;     // room for the - or + in a box's corner

  function textSize(ls) {
    var w = 0;
    var h = 0;
    ls.forEach(function (l) {
      w = Math.max(w, textWidth(l.text, l.size, l.bold));
      h += l.size * LINE;
    });
    return { w: w, h: h };
  }

  function layCard(n) {
    var t = textSize(n.lines);
    n.w = Math.ceil(Math.max(MINCARD, t.w + 2 * CPX + (n.type === "summary" ? 2 * TOGGLE : 0)));
    n.h = Math.ceil(t.h + 2 * CPY);
  }

  function lay(n) {
    if (n.type !== "unit") { layCard(n); return; }
    var header = textSize(n.lines);
    n.headerH = header.h;
    n.links = [];
    n.heads.forEach(layCard);
    var headsW = n.heads.reduce(function (s, c) { return s + c.w; }, 0) +
      GAP * Math.max(0, n.heads.length - 1);
    var headsH = n.heads.reduce(function (s, c) { return Math.max(s, c.h); }, 0);
    n.members.forEach(layCard);
    // One column, two when long, more only for a very long list (--all): the
    // columns next to the spine hang from it, those further out from a spine
    // of their own joined to it at the top.
    var count = n.members.length;
    var ncols = count <= 12 ? 1 : count <= 60 ? 2 : Math.min(24, Math.ceil(Math.sqrt(count / 3)));
    var per = Math.ceil(count / ncols);
    var nleft = Math.floor(ncols / 2);
    var columns = [];
    for (var ci = 0; ci < ncols; ci++) {
      var cards = n.members.slice(ci * per, (ci + 1) * per);
      var cw = cards.reduce(function (s, c) { return Math.max(s, (c.indent || 0) * INDENT + c.w); }, 0);
      columns.push({ cards: cards, w: cw, side: ci < nleft ? -1 : 1 });
    }
    var colH = function (col) {
      return col.reduce(function (s, c) { return s + c.h; }, 0) + VGAP * Math.max(0, col.length - 1);
    };
    var reach = function (side) {
      return columns.filter(function (c) { return c.side === side; })
        .reduce(function (s, c) { return s + SP + c.w; }, 0);
    };
    var leftExt = Math.max(headsW / 2, reach(-1), 10);
    var rightExt = Math.max(headsW / 2, reach(1), 10);
    var blockW = leftExt + rightExt;
    n.children.forEach(lay);
    var widest = n.children.reduce(function (s, c) { return Math.max(s, c.w); }, 0);
    var area = n.children.reduce(function (s, c) { return s + (c.w + GAP) * (c.h + ROWGAP); }, 0);
    // Rows about three times as wide as they are tall; a few units always in one row.
    var rowMax = n.children.length <= 4
      ? n.children.reduce(function (s, c) { return s + c.w + GAP; }, 0)
      : Math.max(widest, Math.sqrt(area * 3), blockW, header.w);
    var rows = [];
    var row = null;
    n.children.forEach(function (c) {
      if (!row || (row.w + GAP + c.w > rowMax && row.items.length)) {
        row = { items: [], w: -GAP, h: 0 };
        rows.push(row);
      }
      row.items.push(c);
      row.w += GAP + c.w;
      row.h = Math.max(row.h, c.h);
    });
    var rowsW = rows.reduce(function (s, r) { return Math.max(s, r.w); }, 0);
    var inner = Math.max(header.w + 2 * TOGGLE, blockW, rowsW + (rows.length > 1 ? PAD : 0));
    n.w = Math.ceil(inner + 2 * PAD);
    // Down the box: the name, the leads, the members, the child units.
    var y = PAD + header.h + 4;
    var spine = (n.w - blockW) / 2 + leftExt;
    var top = y; // where the spine starts
    if (n.heads.length) {
      var x = spine - headsW / 2;
      n.heads.forEach(function (c) {
        c.rx = x;
        c.ry = y;
        x += c.w + GAP;
      });
      y += headsH;
      top = y;
    }
    var bottom = top;
    if (n.members.length) {
      y += 8;
      var tallest = 0;
      var outward = { "-1": 0, "1": 0 }; // how far out the columns placed so far reach
      var order = columns.filter(function (c) { return c.side > 0; })
        .concat(columns.filter(function (c) { return c.side < 0; }).reverse());
      order.forEach(function (col) {
        var first = outward[col.side] === 0;
        var stem = spine + col.side * (outward[col.side] + (first ? 0 : SP / 2));
        var base = spine + col.side * (outward[col.side] + SP);
        outward[col.side] += SP + col.w;
        var yy = y;
        var last = y;
        col.cards.forEach(function (c) {
          var off = (c.indent || 0) * INDENT;
          c.rx = col.side > 0 ? base + off : base - off - c.w;
          c.ry = yy;
          var mid = yy + c.h / 2;
          n.links.push([stem, mid, col.side > 0 ? c.rx : c.rx + c.w, mid]);
          last = mid;
          yy += c.h + VGAP;
        });
        if (first) {
          bottom = Math.max(bottom, last);
        } else {
          n.links.push([spine, y - 4, stem, y - 4]);
          n.links.push([stem, y - 4, stem, last]);
        }
        tallest = Math.max(tallest, colH(col.cards));
      });
      y += tallest;
    }
    if (rows.length) {
      var side = PAD / 2;
      rows.forEach(function (r, k) {
        y += ROWGAP;
        var bar = y - ROWGAP / 2;
        var x0 = (n.w - r.w) / 2;
        var centres = [];
        r.items.forEach(function (c) {
          c.rx = x0;
          c.ry = y;
          centres.push(x0 + c.w / 2);
          n.links.push([x0 + c.w / 2, bar, x0 + c.w / 2, y]);
          x0 += c.w + GAP;
        });
        var from = rows.length > 1 ? side : Math.min(spine, centres[0]);
        var to = rows.length > 1 ? centres[centres.length - 1] : Math.max(spine, centres[centres.length - 1]);
        n.links.push([from, bar, to, bar]);
        if (k === 0) {
          n.links.push([spine, top, spine, bar]);
          if (rows.length > 1) n.links.push([side, bar, spine, bar]);
        }
        if (k === rows.length - 1 && rows.length > 1) {
          n.links.push([side, rows[0].bar, side, bar]);
        }
        r.bar = bar;
        y += r.h;
      });
      bottom = top; // the spine's line is drawn to the first bar above
    }
    if (bottom > top) n.links.push([spine, top, spine, bottom]);
    n.h = Math.ceil(y + PAD);
  }

  function place(n, x, y) {
    n.x = x;
    n.y = y;
    if (n.type !== "unit") return;
    n.heads.concat(n.members, n.children).forEach(function (c) { place(c, x + c.rx, y + c.ry); });
  }

  // --- drawing ------------------------------------------------------------------------

  function textEl(ls, cx, y, cls) {
    var t = svgEl("text", { x: cx, "text-anchor": "middle" }, cls);
    var yy = y;
    ls.forEach(function (l) {
      yy += l.size * LINE;
      var span = svgEl("tspan", { x: cx, y: yy - l.size * (LINE - 1) - 1 },
                       (l.bold ? "strong " : "") + (l.cls || ""));
      span.setAttribute("font-size", String(l.size));
      span.textContent = l.text;
      t.appendChild(span);
    });
    return t;
  }

  function tooltip(n) {
    var title = svgEl("title");
    title.textContent = n.lines.map(function (l) { return l.text; }).join("\n");
    return title;
  }

  function emit(n, parent) {
    var g = svgEl("g", { id: n.id }, n.cls);
    state.boxes.set(n.id, { x: n.x, y: n.y, w: n.w, h: n.h, card: n.type !== "unit" });
    g.appendChild(tooltip(n));
    g.appendChild(svgEl("rect", { x: n.x, y: n.y, width: n.w, height: n.h,
                                  rx: n.type === "unit" ? 7 : 4 }, "box"));
    if (n.type !== "unit") {
      g.appendChild(textEl(n.lines, n.x + n.w / 2, n.y + CPY, "label"));
      if (n.type === "summary") {
        g.appendChild(svgEl("path", { d: "M" + (n.x + n.w - 9) + " " + (n.y + 7) + "h6m-3 -3v6" },
                            "toggle"));
      }
      parent.appendChild(g);
      return;
    }
    g.appendChild(svgEl("rect", { x: n.x, y: n.y, width: n.w, height: PAD + n.headerH + 2 },
                        "head"));
    g.appendChild(textEl(n.lines, n.x + n.w / 2, n.y + PAD, "label"));
    g.appendChild(svgEl("path", { d: "M" + (n.x + n.w - 11) + " " + (n.y + 8) + "h6" }, "toggle"));
    if (n.links.length) {
      var d = n.links.map(function (l) {
        return "M" + (n.x + l[0]).toFixed(1) + " " + (n.y + l[1]).toFixed(1) +
          "L" + (n.x + l[2]).toFixed(1) + " " + (n.y + l[3]).toFixed(1);
      }).join("");
      g.appendChild(svgEl("path", { d: d }, "link reports-to"));
    }
    n.heads.concat(n.members, n.children).forEach(function (c) { emit(c, g); });
    parent.appendChild(g);
  }

  // Where a line to a unit or person ends: its box, else the box of the
  // nearest unit above that is drawn (open or as a summary).
  function endpoint(m, id) {
    var person = m.people.get(id);
    var box;
    if (person) {
      box = state.boxes.get(svgIdOf("person", id));
      if (box) return box;
      id = person.unit;
    }
    var seen = new Set();
    while (id && m.units.has(id) && !seen.has(id)) {
      seen.add(id);
      box = state.boxes.get(svgIdOf("unit", id));
      if (box) return box;
      var parent = m.units.get(id).parent;
      box = parent ? state.boxes.get(svgIdOf("more-units", parent)) : null;
      if (box) return box;
      id = parent;
    }
    return null;
  }

  function holds(a, b) {
    return a.x <= b.x && a.y <= b.y && a.x + a.w >= b.x + b.w && a.y + a.h >= b.y + b.h;
  }

  // A curved arrow from one box to another, labelled; nothing when an end is not
  // drawn or one box holds the other.
  function arrow(layer, m, from, to, text, cls, id) {
    var a = endpoint(m, from);
    var b = endpoint(m, to);
    if (!a || !b || holds(a, b) || holds(b, a)) return;
    var p;
    var q;
    var dir;
    if (b.y >= a.y + a.h + 6) { // below
      p = [a.x + a.w / 2, a.y + a.h]; q = [b.x + b.w / 2, b.y]; dir = [0, 1];
    } else if (b.y + b.h + 6 <= a.y) { // above
      p = [a.x + a.w / 2, a.y]; q = [b.x + b.w / 2, b.y + b.h]; dir = [0, -1];
    } else { // side by side: a curve under both, through the space below a row
      p = [a.x + a.w / 2, a.y + a.h]; q = [b.x + b.w / 2, b.y + b.h]; dir = null;
    }
    var bend = Math.max(30, Math.min(140, Math.hypot(q[0] - p[0], q[1] - p[1]) / 3));
    var low = Math.max(p[1], q[1]) + 14;
    var c1 = dir ? [p[0] + dir[0] * bend, p[1] + dir[1] * bend] : [p[0], low];
    var c2 = dir ? [q[0] - dir[0] * bend, q[1] - dir[1] * bend] : [q[0], low];
    var g = svgEl("g", id ? { id: id } : null, "edge " + cls);
    var f = function (pt) { return pt[0].toFixed(1) + " " + pt[1].toFixed(1); };
    g.appendChild(svgEl("path", { d: "M" + f(p) + "C" + f(c1) + " " + f(c2) + " " + f(q) }, "line"));
    var ang = Math.atan2(q[1] - c2[1], q[0] - c2[0]);
    var tip = function (da, r) {
      return [q[0] - r * Math.cos(ang + da), q[1] - r * Math.sin(ang + da)];
    };
    g.appendChild(svgEl("path", { d: "M" + f(tip(0.45, 9)) + "L" + f(q) + "L" + f(tip(-0.45, 9)) },
                        "head"));
    // The label where it meets no other arrow's label: the middle of the curve, or
    // the nearest point along it that is free.
    var at = function (t) {
      var u = 1 - t;
      return [u * u * u * p[0] + 3 * u * u * t * c1[0] + 3 * u * t * t * c2[0] + t * t * t * q[0],
              u * u * u * p[1] + 3 * u * u * t * c1[1] + 3 * u * t * t * c2[1] + t * t * t * q[1]];
    };
    var lw = textWidth(text, SIZE.edge, false) + 4;
    var mid = at(0.5);
    var cards = layer.cards;
    var tries = [];
    [0, 12, -12, 24, -24].forEach(function (dy) {
      [0.5, 0.4, 0.6, 0.3, 0.7].forEach(function (t) { tries.push([t, dy]); });
    });
    for (var k = 0; k < tries.length; k++) {
      var pt = at(tries[k][0]);
      pt[1] += tries[k][1];
      var free = layer.labels.every(function (r) {
        return Math.abs(r[0] - pt[0]) * 2 >= r[2] + lw || Math.abs(r[1] - pt[1]) >= SIZE.edge + 2;
      }) && cards.every(function (b) {
        return pt[0] + lw / 2 <= b.x || pt[0] - lw / 2 >= b.x + b.w ||
          pt[1] + 3 <= b.y || pt[1] - SIZE.edge >= b.y + b.h;
      });
      if (free) { mid = pt; break; }
    }
    layer.labels.push([mid[0], mid[1], lw]);
    var label = svgEl("text", { x: mid[0].toFixed(1), y: (mid[1] + 3).toFixed(1),
                                "text-anchor": "middle" }, "label");
    label.textContent = text;
    g.appendChild(label);
    g.appendChild(tooltip({ lines: [{ text: nameOf(from) + " " + text + " " + nameOf(to) }] }));
    layer.appendChild(g);
  }

  function footerLines(v, counts) {
    var out = [];
    if (v.diff) {
      out.push("Green: added; red: removed; amber: moved, renamed or changed.");
      out.push("Blue arrows: where a removed unit's remit went. Red dashed arrows: reporting lines that ended.");
      out.push("Other dashed lines and boxes: reported or rumoured, not confirmed.");
    }
    if (counts.summaries) {
      var held = [];
      if (counts.units) held.push(plural(counts.units, "unit"));
      if (counts.people) held.push(plural(counts.people, "person", "people"));
      out.push("To fit, " + plural(counts.summaries, "grey box", "grey boxes") +
               (counts.summaries === 1 ? " stands" : " stand") + " for " +
               (held.join(" and ") || "the rest") + ": click one to open it.");
    }
    out.push("Click a unit's name to close it, a grey box to open it.");
    return out;
  }

  // The chart of the view: planned, laid out, drawn into a new <svg>.
  function chart() {
    var v = view();
    var m = model(state.view);
    var p = plan(m);
    var built = build(m, p);
    state.boxes = new Map();
    state.summaries = built.counts.summaries;
    var svg = svgEl("svg", { xmlns: SVGNS, preserveAspectRatio: "xMidYMid meet",
                             role: "img" }, "chart");
    svg.setAttribute("aria-label", v.title);
    var titleLines = wrap(v.title, SIZE.title, true, 900).map(function (t) {
      return { text: t, size: SIZE.title, bold: true };
    });
    var titleH = textSize(titleLines).h + 14;
    var x = 0;
    var h = 0;
    built.tops.forEach(function (t) {
      lay(t);
      place(t, x, titleH);
      x += t.w + 30;
      h = Math.max(h, t.h);
    });
    var width = Math.max(x - 30, textSize(titleLines).w);
    var boxes = svgEl("g", null, "boxes");
    svg.appendChild(textEl(titleLines, width / 2, 0, "chart-title"));
    built.tops.forEach(function (t) { emit(t, boxes); });
    svg.appendChild(boxes);
    var layer = svgEl("g", null, "arrows");
    layer.labels = [];
    layer.cards = [];
    state.boxes.forEach(function (b) { if (b.card) layer.cards.push(b); });
    (v.relations || []).forEach(function (r) {
      arrow(layer, m, r[1], r[2], r[0] + (r[3] ? " [uncertain]" : ""),
            "relation" + (r[3] ? " uncertain" : "") + (r[4] ? " removed" : ""), null);
    });
    m.marks.lineage.forEach(function (l) {
      arrow(layer, m, l[0], l[1], l[2], "lineage" + (l[3] ? " uncertain" : ""),
            svgIdOf("lineage", l[0] + "\u0000" + l[1]));
    });
    // A reporting line that ended, from the person to their former manager, where
    // both are drawn (as render.py draws it, red and dashed).
    m.marks.ended.forEach(function (l) {
      if (state.boxes.has(svgIdOf("person", l[0])) && state.boxes.has(svgIdOf("person", l[1]))) {
        arrow(layer, m, l[0], l[1], "reported to", "reports-to removed",
              svgIdOf("ended", l[0] + "\u0000" + l[1]));
      }
    });
    svg.appendChild(layer);
    var foot = footerLines(v, built.counts).map(function (t) {
      return { text: t, size: SIZE.person };
    });
    var footH = textSize(foot);
    svg.appendChild(textEl(foot, width / 2, titleH + h + 12, "footer"));
    width = Math.max(width, footH.w);
    var M = 16;
    svg.setAttribute("viewBox", [-M, -M, width + 2 * M, titleH + h + 12 + footH.h + 2 * M].join(" "));
    return svg;
  }

  // --- the view: pan and zoom, as the SVG viewBox ----------------------------------

  function setBox(box) {
    state.vb = box;
    state.svg.setAttribute("viewBox", [box.x, box.y, box.w, box.h].join(" "));
  }

  function fit() {
    state.fitted = true;
    setBox({ x: state.base.x, y: state.base.y, w: state.base.w, h: state.base.h });
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

  // --- drawing a view -----------------------------------------------------------------

  // Lays the chart out again and shows it. With `anchor` (an svg id), the view
  // moves with that box, so what was clicked stays where it was on the screen.
  function render(anchor) {
    var v = view();
    var before = anchor ? state.boxes.get(anchor) : null;
    var svg = chart();
    stage.textContent = "";
    stage.appendChild(svg);
    state.svg = svg;
    var vb = svg.viewBox.baseVal;
    state.base = { x: vb.x, y: vb.y, w: vb.width, h: vb.height };
    var after = anchor ? state.boxes.get(anchor) : null;
    if (before && after && state.vb) {
      state.fitted = false;
      setBox({ x: state.vb.x + after.x - before.x, y: state.vb.y + after.y - before.y,
               w: state.vb.w, h: state.vb.h });
    } else if (state.fitted || !state.vb) {
      fit();
    } else {
      setBox(state.vb);
    }
    slider.value = String(state.view);
    $("date").textContent = v.date;
    renderEvent();
    runSearch(false);
    if (state.selected) {
      var n = nodeFor(state.selected);
      if (n) n.classList.add("selected");
      renderInfo(state.selected);
    }
    if (state.focus && !anchor) {
      var f = nodeFor(state.focus);
      if (f && state.fitted) zoomTo(f, false);
    }
    writeHash();
  }

  function isOpen(uid) {
    var n = state.svg && state.svg.querySelector('[id="' + CSS.escape(svgIdOf("unit", uid)) + '"]');
    return !!n && n.classList.contains("cluster");
  }

  // A click on a unit's name or its summary: close it if open, else open it.
  function toggleUnit(uid) {
    if (isOpen(uid)) {
      state.closed.add(uid);
      state.opened.delete(uid);
    } else {
      state.closed.delete(uid);
      state.opened.add(uid);
    }
    render(svgIdOf("unit", uid));
  }

  // A click on "… and 40 more people" or "9 more units under X": all of them.
  function openMore(kind, uid) {
    (kind === "more-people" ? state.allMembers : state.allKids).add(uid);
    state.opened.add(uid);
    render(svgIdOf(kind, uid));
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
    if (state.summaries) {
      box.appendChild(el("p", "Grey boxes are summaries of what is folded: click one to open it. " +
                         "Click a unit's name to close it.", "muted"));
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
      var drawn = e.kind === "unit" && nodeFor(id);
      var m = model(state.view);
      if (!nodeFor(id) && (m.level.has(id) || (m.people.has(id) && m.level.has(m.people.get(id).unit)))) {
        var show = el("button", "Show it");
        show.type = "button";
        show.addEventListener("click", function () { reveal(id); });
        var where = el("p", "Folded away at this date. ", "tools muted");
        where.appendChild(show);
        box.appendChild(where);
      }
      if (drawn) {
        var tools = el("p", null, "tools");
        var zoomButton = el("button", "Zoom to it");
        zoomButton.type = "button";
        zoomButton.addEventListener("click", function () {
          state.focus = id;
          zoomTo(nodeFor(id), false);
          writeHash();
        });
        var closeButton = el("button", isOpen(id) ? "Close it" : "Open it");
        closeButton.type = "button";
        closeButton.className = "toggle";
        closeButton.addEventListener("click", function () { toggleUnit(id); });
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
    if (k === state.view) return;
    state.view = k;
    render();
  }

  // --- search -------------------------------------------------------------------------

  function searchText(m, id) {
    var cached = m.text.get(id);
    if (cached !== undefined) return cached;
    var e = data.entities[id];
    var parts = [e.name, id].concat(e.aliases);
    if (e.kind === "person") {
      var f = m.people.get(id) || {};
      parts.push(f.title, f.unit ? (m.units.get(f.unit) || { name: "" }).name : "");
    } else {
      parts.push((m.units.get(id) || {}).name);
    }
    var text = fold(parts.join("\n"));
    m.text.set(id, text);
    return text;
  }

  // Matches among the boxes drawn are outlined; matches folded away are counted,
  // and Enter goes to them (opening what holds them).
  function runSearch(move) {
    var q = fold(search.value.trim());
    if (state.svg) {
      state.svg.querySelectorAll(".hit").forEach(function (n) {
        n.classList.remove("hit", "current");
      });
    }
    state.hits = [];
    state.drawnHits = 0;
    state.hit = -1;
    if (!q || !state.svg) { $("hits").textContent = ""; return; }
    var m = model(state.view);
    var drawn = new Set();
    state.svg.querySelectorAll("g.node[id], g.cluster[id]").forEach(function (n) {
      var who = entityOf(n.id);
      if (!who || who.kind.indexOf("more") === 0) return;
      drawn.add(who.id);
      if (searchText(m, who.id).indexOf(q) >= 0) {
        n.classList.add("hit");
        state.hits.push(who.id);
      }
    });
    state.drawnHits = state.hits.length;
    m.units.forEach(function (u, id) {
      if (!drawn.has(id) && m.level.has(id) && searchText(m, id).indexOf(q) >= 0) state.hits.push(id);
    });
    m.people.forEach(function (p, id) {
      if (!drawn.has(id) && m.level.has(p.unit) && searchText(m, id).indexOf(q) >= 0) {
        state.hits.push(id);
      }
    });
    var folded = state.hits.length - state.drawnHits;
    if (state.drawnHits) {
      $("hits").textContent = state.drawnHits + " found" + (folded ? ", " + folded + " folded" : "");
    } else if (folded) {
      $("hits").textContent = folded + " folded: Enter opens";
    } else {
      // Not at this date: say whether the data has it at other dates.
      var elsewhere = ORDER.filter(function (id) {
        var e = data.entities[id];
        return fold([e.name, id].concat(e.aliases).join("\n")).indexOf(q) >= 0;
      }).length;
      $("hits").textContent = elsewhere ? "none here; " + elsewhere + " at other dates"
                                        : "none found";
    }
    if (move && state.hits.length) nextHit(1);
  }

  // Opens the units that hold a unit or person folded away, and goes to it.
  function reveal(id) {
    var m = model(state.view);
    var person = m.people.get(id);
    var unit = person ? person.unit : id;
    ancestors(m, unit).concat([unit]).forEach(function (u) { state.closed.delete(u); });
    if (person) state.reveal.add(id); else state.opened.add(id);
    render();
    var n = nodeFor(id);
    if (n) select(id, true);
    return n;
  }

  function nextHit(step) {
    if (!state.hits.length) return;
    if (state.hit >= 0) {
      var last = nodeFor(state.hits[state.hit]);
      if (last) last.classList.remove("current");
    }
    var k = (state.hit + step + state.hits.length) % state.hits.length;
    var id = state.hits[k];
    var total = state.hits.length;
    var n = nodeFor(id);
    if (!n) {
      // Folded away: open the units that hold it, and draw it.
      reveal(id);
      runSearch(false);
      k = state.hits.indexOf(id);
      n = nodeFor(id);
      if (k < 0 || !n) return;
    }
    state.hit = k;
    n.classList.add("current");
    $("hits").textContent = (k + 1) + " of " + total;
    zoomTo(n, true);
    select(id, false);
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
    if (state.focus) {
      state.selected = state.focus;
      if (data.entities[state.focus].kind === "unit") {
        state.closed.delete(state.focus);
        state.opened.add(state.focus);
      } else {
        state.reveal.add(state.focus);
      }
    }
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
      if (who.kind === "unit") {
        state.selected = who.id;
        toggleUnit(who.id);
      } else {
        openMore(who.kind, who.id);
      }
      return;
    }
    if (g.classList.contains("cluster") && target.closest(".head, .label, .toggle")) {
      state.selected = who.id;
      toggleUnit(who.id);
      return;
    }
    select(who.id, false);
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
      case "Enter":
        // On the chart: close or open the unit selected.
        if (t !== stage || !state.selected || data.entities[state.selected].kind !== "unit" ||
            !nodeFor(state.selected)) return;
        toggleUnit(state.selected);
        break;
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
  if (window.performance && performance.mark) performance.mark("orgdiff-ready");
})();
