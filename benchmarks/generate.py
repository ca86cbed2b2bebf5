"""Synthetic orgs in orgdiff's dataset format, for the benchmarks.

``generate(n, folder)`` writes a dataset of ``n`` people: a reporting tree with
a fan-out of 6 to 8, about ``n / 20`` units nested the way the managers who lead
them are, and two snapshots. The second has about 1% churn: hires, departures
(managers' reports go to their manager), manager changes, people moving
between units, unit renames, units moved under another parent, one split and
one merge. Both snapshots are valid by construction; the output is the same for
the same ``n`` and seed.

    uv run python -m benchmarks.generate 100k /tmp/org-100k
"""

from __future__ import annotations

import argparse
import random
from collections.abc import Iterable
from pathlib import Path

__all__ = ["AFTER", "BEFORE", "generate", "parse_size"]

#: Bump when the output changes, so cached datasets are made again.
VERSION = 1
BEFORE = "2024-01-01"
AFTER = "2024-07-01"

_FIRST = [
    "ada",
    "amara",
    "ana",
    "arjun",
    "ben",
    "bo",
    "carla",
    "chen",
    "dara",
    "david",
    "elena",
    "eli",
    "emma",
    "farah",
    "femi",
    "gabriel",
    "grace",
    "hana",
    "hugo",
    "ines",
    "ivan",
    "jamal",
    "jia",
    "julia",
    "kai",
    "kenji",
    "lara",
    "leo",
    "lina",
    "luca",
    "maya",
    "mei",
    "mohammed",
    "nadia",
    "nina",
    "noah",
    "olga",
    "omar",
    "priya",
    "rafael",
    "rosa",
    "sam",
    "sara",
    "sofia",
    "tariq",
    "tomas",
    "uma",
    "victor",
    "wei",
    "xavier",
    "yara",
    "yusuf",
    "zoe",
]
_LAST = [
    "adeyemi",
    "alvarez",
    "anand",
    "becker",
    "chen",
    "costa",
    "dubois",
    "eriksen",
    "fischer",
    "garcia",
    "haddad",
    "hansen",
    "ito",
    "jensen",
    "kim",
    "kowalski",
    "kumar",
    "lee",
    "lopez",
    "mensah",
    "moreau",
    "murphy",
    "nakamura",
    "novak",
    "okafor",
    "oliveira",
    "park",
    "patel",
    "petrov",
    "quinn",
    "rossi",
    "ruiz",
    "sato",
    "schmidt",
    "silva",
    "singh",
    "tanaka",
    "torres",
    "van-dijk",
    "wang",
    "weber",
    "wong",
    "yamamoto",
    "zhang",
]
_AREAS = [
    "platform",
    "infra",
    "data",
    "search",
    "ads",
    "ranking",
    "payments",
    "identity",
    "mobile",
    "web",
    "growth",
    "research",
    "safety",
    "trust",
    "devices",
    "cloud",
    "storage",
    "network",
    "security",
    "billing",
    "support",
    "analytics",
    "vision",
    "speech",
    "language",
    "robotics",
    "compilers",
    "runtime",
    "observability",
]
_KINDS = ["core", "systems", "services", "tools", "labs", "apps", "pipelines", "foundations"]
_TITLES = (
    "Software Engineer",
    "Senior Software Engineer",
    "Staff Software Engineer",
    "Research Scientist",
    "Data Scientist",
    "Product Manager",
    "Product Designer",
    "Technical Program Manager",
    "Site Reliability Engineer",
    "Security Engineer",
)


def parse_size(text: str) -> int:
    """``1k`` -> 1000, ``1M`` -> 1000000, ``2500`` -> 2500."""
    text = text.strip()
    scale = {"k": 1_000, "K": 1_000, "m": 1_000_000, "M": 1_000_000}.get(text[-1:], 1)
    number = text[:-1] if scale != 1 else text
    return int(float(number) * scale)


def _title_case(words: str) -> str:
    return " ".join(w.capitalize() for w in words.replace("-", " ").split())


class _Org:
    """One snapshot's worth of mutable records, in file order."""

    def __init__(self) -> None:
        self.units: dict[str, dict[str, object]] = {}
        self.people: dict[str, dict[str, object]] = {}

    def copy(self) -> _Org:
        out = _Org()
        out.units = {k: dict(v) for k, v in self.units.items()}
        out.people = {k: dict(v) for k, v in self.people.items()}
        return out

    def reports(self) -> dict[str, list[str]]:
        out: dict[str, list[str]] = {}
        for pid, p in self.people.items():
            boss = p.get("reports_to")
            if boss is not None:
                out.setdefault(str(boss), []).append(pid)
        return out

    def child_units(self) -> dict[str, list[str]]:
        out: dict[str, list[str]] = {}
        for uid, u in self.units.items():
            if u.get("parent") is not None:
                out.setdefault(str(u["parent"]), []).append(uid)
        return out

    def leads(self) -> set[str]:
        return {str(u["lead"]) for u in self.units.values()}


def _build(n: int, rng: random.Random) -> tuple[_Org, dict[str, str]]:
    """The first snapshot, and every person's display name."""
    # Fan-out first, so that we know who will manage someone.
    fanouts: list[int] = []
    total = 1
    while total < n:
        k = min(rng.randint(6, 8), n - total)
        fanouts.append(k)
        total += k
    managers = len(fanouts)  # people 0 .. managers-1 manage someone
    want_units = max(1, n // 20)
    p_unit = (want_units - 1) / max(1, managers - 1)

    names: dict[str, str] = {}
    ids: list[str] = []
    for i in range(n):
        first, last = rng.choice(_FIRST), rng.choice(_LAST)
        pid = f"{first}-{last}-{i}"
        ids.append(pid)
        names[pid] = f"{_title_case(first)} {_title_case(last)}"

    org = _Org()
    org.units["company"] = {"name": "Example Corp", "lead": ids[0]}
    org.people[ids[0]] = {
        "title": "Chief Executive",
        "unit": "company",
        "sources": ["board-minutes"],
    }
    nxt = 1
    for m, k in enumerate(fanouts):
        boss = ids[m]
        boss_unit = str(org.people[boss]["unit"])
        for _ in range(k):
            pid = ids[nxt]
            unit = boss_unit
            if nxt < managers and rng.random() < p_unit:
                area, kind = rng.choice(_AREAS), rng.choice(_KINDS)
                unit = f"{area}-{kind}-{len(org.units)}"
                org.units[unit] = {
                    "name": f"{_title_case(area)} {_title_case(kind)} {len(org.units)}",
                    "parent": boss_unit,
                    "lead": pid,
                }
                title = f"Head of {org.units[unit]['name']}"
            elif nxt < managers:
                title = "Engineering Manager"
            else:
                title = rng.choice(_TITLES)
            person: dict[str, object] = {"title": title, "unit": unit, "reports_to": boss}
            if rng.random() < 0.01:
                person["confidence"] = "reported"
                person["sources"] = ["trade-press"]
            org.people[pid] = person
            nxt += 1
    return org, names


def _churn(org: _Org, n: int, names: dict[str, str], rng: random.Random) -> _Org:
    """The second snapshot: about 1% of people and units changed."""
    new = org.copy()
    touched: set[str] = set()  # people already changed: change each one once
    leads = new.leads()
    children = new.child_units()

    def leaf_units() -> list[str]:
        return [u for u in new.units if u not in children and u != "company"]

    members: dict[str, list[str]] = {}
    for pid, p in new.people.items():
        members.setdefault(str(p["unit"]), []).append(pid)

    # One split: a unit with no sub-units becomes two, "core" and "labs";
    # the lead's largest direct report leads the second, with their own reports.
    split = max(leaf_units(), key=lambda u: len(members.get(u, ())))
    reports = new.reports()
    s = new.units.pop(split)
    lead = str(s["lead"])
    in_split = set(members[split])
    in_split_reports = [r for r in reports.get(lead, []) if r in in_split]

    def subtree(pid: str) -> list[str]:
        out, stack = [], [pid]
        while stack:
            x = stack.pop()
            out.append(x)
            stack.extend(reports.get(x, []))
        return out

    second_lead = max(in_split_reports, key=lambda r: len(subtree(r)))
    parent_lead = str(new.units[str(s["parent"])]["lead"])
    a, b = f"{split}-core", f"{split}-labs"
    new.units[a] = {
        "name": f"{s['name']} Core",
        "parent": s["parent"],
        "lead": lead,
        "from": [split],
    }
    new.units[b] = {
        "name": f"{s['name']} Labs",
        "parent": s["parent"],
        "lead": second_lead,
        "from": [split],
    }
    second = set(subtree(second_lead))
    for pid in in_split:
        new.people[pid]["unit"] = b if pid in second else a
        touched.add(pid)
    new.people[second_lead]["reports_to"] = parent_lead
    new.people[second_lead]["title"] = f"Head of {new.units[b]['name']}"
    leads.add(second_lead)

    # One merge: two sibling units with no sub-units become one new unit.
    by_parent: dict[str, list[str]] = {}
    for uid in leaf_units():
        if uid in (split, a, b):
            continue
        by_parent.setdefault(str(new.units[uid]["parent"]), []).append(uid)
    pair = next(sorted(v)[:2] for _, v in sorted(by_parent.items()) if len(v) >= 2)
    x, y = (new.units.pop(u) for u in pair)
    merged = f"{pair[0]}-{pair[1]}"
    new.units[merged] = {
        "name": f"{_title_case(pair[0].split('-')[0])} Group {len(new.units)}",
        "parent": x["parent"],
        "lead": x["lead"],
        "from": list(pair),
    }
    for pid, p in new.people.items():
        if p["unit"] in pair:
            p["unit"] = merged
            touched.add(pid)
    leads.discard(str(y["lead"]))  # still in the merged unit, no longer a lead
    new.people[str(y["lead"])]["title"] = "Engineering Manager"

    children = new.child_units()

    # Units moved under another parent; their lead now reports to the new parent's lead.
    movable = [u for u in new.units if u != "company" and not new.units[u].get("from")]
    for uid in rng.sample(movable, max(1, len(new.units) // 200)):
        below = set()
        stack = [uid]
        while stack:
            u = stack.pop()
            below.add(u)
            stack.extend(children.get(u, []))
        targets = [w for w in new.units if w not in below and w != new.units[uid]["parent"]]
        if not targets:
            continue
        w = rng.choice(targets)
        children.setdefault(w, []).append(uid)
        children[str(new.units[uid]["parent"])].remove(uid)
        new.units[uid]["parent"] = w
        ulead = str(new.units[uid]["lead"])
        new.people[ulead]["reports_to"] = new.units[w]["lead"]
        touched.add(ulead)

    # Unit renames.
    for uid in rng.sample(sorted(new.units), max(1, len(new.units) // 100)):
        new.units[uid]["name"] = f"{new.units[uid]['name']} (renamed)"

    people_ids = list(new.people)
    reports = new.reports()

    # Departures: mostly people who manage no one; a few managers, whose
    # reports then report to the manager's manager.
    departures = max(1, n * 3 // 1000)
    for pid in rng.sample(people_ids, min(len(people_ids), departures * 3)):
        if departures == 0:
            break
        if pid in touched or pid in leads or pid not in new.people:
            continue
        boss = new.people[pid].get("reports_to")
        if boss is None:
            continue
        for r in reports.get(pid, []):
            if r in new.people:
                new.people[r]["reports_to"] = boss
                touched.add(r)
                reports.setdefault(str(boss), []).append(r)
        del new.people[pid]
        touched.add(pid)
        departures -= 1

    # Manager changes: to the lead of their own unit.
    changes = max(1, n * 2 // 1000)
    for pid in rng.sample(people_ids, min(len(people_ids), changes * 3)):
        if changes == 0:
            break
        if pid in touched or pid in leads or pid not in new.people:
            continue
        p = new.people[pid]
        unit_lead = new.units[str(p["unit"])]["lead"]
        if unit_lead == p.get("reports_to") or unit_lead == pid:
            continue
        p["reports_to"] = unit_lead
        touched.add(pid)
        changes -= 1

    # Moves: people who manage no one, to another unit, under its lead.
    reports = new.reports()
    unit_ids = list(new.units)
    moves = max(1, n * 2 // 1000)
    for pid in rng.sample(people_ids, min(len(people_ids), moves * 3)):
        if moves == 0:
            break
        if pid in touched or pid in leads or pid not in new.people or reports.get(pid):
            continue
        p = new.people[pid]
        target = rng.choice(unit_ids)
        if target == p["unit"]:
            continue
        p["unit"] = target
        p["reports_to"] = new.units[target]["lead"]
        touched.add(pid)
        moves -= 1

    # Hires, under someone who is there at both dates.
    present = [pid for pid in people_ids if pid in new.people]
    for k in range(max(1, n * 3 // 1000)):
        boss = rng.choice(present)
        first, last = rng.choice(_FIRST), rng.choice(_LAST)
        pid = f"{first}-{last}-{n + k}"
        names[pid] = f"{_title_case(first)} {_title_case(last)}"
        new.people[pid] = {
            "title": rng.choice(_TITLES),
            "unit": new.people[boss]["unit"],
            "reports_to": boss,
        }
    return new


def _flow_list(items: Iterable[object]) -> str:
    return "[" + ", ".join(str(i) for i in items) + "]"


def _snapshot_lines(org: _Org, date: str, event: str, source: str) -> Iterable[str]:
    yield f"date: {date}\n"
    yield f"event: {event}\n"
    yield f"sources: [{source}]\n"
    yield "units:\n"
    for uid, u in org.units.items():
        parts = [f"name: {u['name']}"]
        if u.get("parent") is not None:
            parts.append(f"parent: {u['parent']}")
        parts.append(f"lead: {u['lead']}")
        if u.get("from"):
            parts.append(f"from: {_flow_list(u['from'])}")  # type: ignore[arg-type]
        yield f"  {uid}: {{{', '.join(parts)}}}\n"
    yield "people:\n"
    for pid, p in org.people.items():
        lines = [f"  {pid}:\n", f"    title: {p['title']}\n", f"    unit: {p['unit']}\n"]
        if p.get("reports_to") is not None:
            lines.append(f"    reports_to: {p['reports_to']}\n")
        if p.get("confidence") is not None:
            lines.append(f"    confidence: {p['confidence']}\n")
        if p.get("sources"):
            lines.append(f"    sources: {_flow_list(p['sources'])}\n")  # type: ignore[arg-type]
        yield "".join(lines)


def _dataset_lines(n: int, names: dict[str, str]) -> Iterable[str]:
    yield f"name: Example Corp ({n} people)\n"
    yield "description: A synthetic organisation made by benchmarks/generate.py.\n"
    yield "sources:\n"
    for key, title in (
        ("hr-export-2024-01", "HR export, January 2024"),
        ("hr-export-2024-07", "HR export, July 2024"),
        ("board-minutes", "Board minutes"),
        ("trade-press", "Trade press coverage"),
    ):
        yield f"  {key}:\n    title: {title}\n    publisher: Example Corp\n"
    yield "people:\n"
    for pid, name in names.items():
        yield f"  {pid}:\n    name: {name}\n"


def _write(path: Path, lines: Iterable[str]) -> None:
    tmp = path.with_name(path.name + ".tmp")
    with tmp.open("w", encoding="utf-8", newline="\n") as fh:
        buf: list[str] = []
        for line in lines:
            buf.append(line)
            if len(buf) >= 4096:
                fh.write("".join(buf))
                buf.clear()
        fh.write("".join(buf))
    tmp.replace(path)


def generate(n: int, folder: Path, *, seed: int = 20240101) -> Path:
    """Write the dataset of ``n`` people to ``folder`` (made if need be); return it."""
    rng = random.Random(f"{seed}-{n}")
    before, names = _build(n, rng)
    after = _churn(before, n, names, rng)
    (folder / "snapshots").mkdir(parents=True, exist_ok=True)
    _write(folder / "dataset.yaml", _dataset_lines(n, names))
    _write(
        folder / "snapshots" / f"{BEFORE}.yaml",
        _snapshot_lines(before, BEFORE, "Org chart from the HR export", "hr-export-2024-01"),
    )
    _write(
        folder / "snapshots" / f"{AFTER}.yaml",
        _snapshot_lines(after, AFTER, "Mid-year reorganisation", "hr-export-2024-07"),
    )
    return folder


def cached(n: int, root: Path) -> Path:
    """The dataset of ``n`` people under ``root``, generated on first use."""
    folder = root / f"org-{n}-v{VERSION}"
    stamp = folder / ".complete"
    if not stamp.exists():
        generate(n, folder)
        stamp.write_text("ok\n")
    return folder


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("size", help="number of people: 1k, 10k, 100k, 1M or a number")
    parser.add_argument("folder", type=Path)
    args = parser.parse_args(argv)
    generate(parse_size(args.size), args.folder)
    print(args.folder)


if __name__ == "__main__":
    main()
