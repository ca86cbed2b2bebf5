"""Reorgs as a state machine: hire, leave, move, reparent, rename, split, merge.

Each rule changes the org the way a real reorg does (reports are re-attached,
leads that no longer sit in their unit's branch are cleared) and the
invariants, written here independently of :mod:`orgdiff.validate`, must hold
after every step, and must agree with ``orgdiff.validate``. After each step
the change is also checked to be one that ``diff`` and ``apply`` reproduce,
and one that ``dump`` and ``parse_snapshot`` carry through text.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping

import attrs
from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    precondition,
    rule,
)
from strategies import ids, snapshots, texts

import orgdiff
from orgdiff import Person, Relation, Snapshot, Unit

# --- pure helpers on a (valid) snapshot -------------------------------------------------


def branch(units: Mapping[str, Unit], uid: str) -> list[str]:
    """``uid`` and the units above it, nearest first. Stops at a cycle or a missing unit."""
    out: list[str] = []
    node: str | None = uid
    while node is not None and node in units and node not in out:
        out.append(node)
        node = units[node].parent
    return out


def subtree(units: Mapping[str, Unit], uid: str) -> set[str]:
    """``uid`` and every unit below it."""
    return {u for u in units if uid in branch(units, u)}


def fresh(snap: Snapshot, base: str) -> str:
    """``base``, lengthened until no unit or person of ``snap`` has it."""
    taken = {*snap.units, *snap.people}
    out = base
    while out in taken:
        out += "-x"
    return out


def in_branch(units: Mapping[str, Unit], people: Mapping[str, Person], pid: str, uid: str) -> bool:
    """Does ``pid`` sit in unit ``uid`` or above it?"""
    return people[pid].unit in branch(units, uid)


def reattach(snap: Snapshot) -> Snapshot:
    """Give everyone whose manager is no longer in their branch the nearest manager
    up their old reporting chain who is (or nobody, if there is none)."""
    people = dict(snap.people)
    for pid, person in people.items():
        boss = person.reports_to
        while boss is not None and not in_branch(snap.units, people, boss, person.unit):
            boss = people[boss].reports_to
        if boss != person.reports_to:
            people[pid] = attrs.evolve(person, reports_to=boss)
    return attrs.evolve(snap, people=people)


def unlink_managers(snap: Snapshot) -> Snapshot:
    """Set ``reports_to`` to unknown wherever the manager is no longer in the branch."""
    people = {
        pid: (
            attrs.evolve(p, reports_to=None)
            if p.reports_to is not None
            and not in_branch(snap.units, snap.people, p.reports_to, p.unit)
            else p
        )
        for pid, p in snap.people.items()
    }
    return attrs.evolve(snap, people=people)


def clear_leads(snap: Snapshot) -> Snapshot:
    """Clear every lead who is gone or no longer sits in their unit's branch."""
    units = {
        uid: attrs.evolve(
            u,
            leads=[
                q
                for q in u.leads
                if q in snap.people and in_branch(snap.units, snap.people, q, uid)
            ],
        )
        for uid, u in snap.units.items()
    }
    return attrs.evolve(snap, units=units)


def relink(relations: Iterable[Relation], old: str, new: str | None) -> tuple[Relation, ...]:
    """Relations with ends ``old`` moved to ``new`` (dropped if ``new`` is None or if the
    relation would join an entity to itself)."""
    out = []
    for rel in relations:
        from_ = new if rel.from_ == old else rel.from_
        to = new if rel.to == old else rel.to
        if from_ is not None and to is not None and from_ != to:
            out.append(attrs.evolve(rel, from_=from_, to=to))
    return tuple(out)


# --- the machine -------------------------------------------------------------------------


class OrgMachine(RuleBasedStateMachine):
    """An org that goes through reorg after reorg; ``self.snap`` is the org now and
    ``self.before`` the org one step earlier."""

    def __init__(self) -> None:
        super().__init__()
        self.snap: Snapshot = Snapshot(
            date=dt.date(2025, 1, 1),
            event="Founded",
            units={"org": Unit(id="org", name="Org")},
        )
        self.before: Snapshot = self.snap

    def commit(self, snap: Snapshot) -> None:
        self.before, self.snap = self.snap, snap

    @initialize(snap=snapshots(max_units=4, max_people=5))
    def start(self, snap: Snapshot) -> None:
        self.snap = self.before = snap

    # --- people ---

    @rule(data=st.data())
    def hire(self, data: st.DataObject) -> None:
        """A new person joins a unit, reporting to someone of its branch or to nobody known."""
        snap = self.snap
        pid = fresh(snap, data.draw(ids(), label="id"))
        unit = data.draw(st.sampled_from(sorted(snap.units)), label="unit")
        bosses = sorted(q for q in snap.people if in_branch(snap.units, snap.people, q, unit))
        boss = data.draw(st.none() | st.sampled_from(bosses), label="boss") if bosses else None
        person = Person(
            id=pid, unit=unit, title=data.draw(st.none() | texts(), label="title"), reports_to=boss
        )
        self.commit(attrs.evolve(snap, people={**snap.people, pid: person}))
        assert pid in self.snap.members(unit)

    @precondition(lambda self: self.snap.people)
    @rule(data=st.data())
    def leave(self, data: st.DataObject) -> None:
        """Someone leaves: their reports now report to the leaver's manager, the units
        they led have no known lead, and relations to them go."""
        snap = self.snap
        pid = data.draw(st.sampled_from(sorted(snap.people)), label="leaver")
        boss = snap.people[pid].reports_to
        reports = snap.reports(pid)
        people = {
            q: attrs.evolve(p, reports_to=boss) if p.reports_to == pid else p
            for q, p in snap.people.items()
            if q != pid
        }
        units = {
            uid: attrs.evolve(u, leads=[q for q in u.leads if q != pid]) if pid in u.leads else u
            for uid, u in snap.units.items()
        }
        self.commit(
            attrs.evolve(
                snap, people=people, units=units, relations=relink(snap.relations, pid, None)
            )
        )
        assert all(self.snap.people[r].reports_to == boss for r in reports)

    @precondition(lambda self: self.snap.people and len(self.snap.units) > 1)
    @rule(data=st.data())
    def move(self, data: st.DataObject) -> None:
        """Someone moves to another unit: their reports stay behind with the mover's old
        manager, the mover gets a manager of the new branch (or nobody known), and the
        units they led, if no longer in their branch, lose them as lead."""
        snap = self.snap
        pid = data.draw(st.sampled_from(sorted(snap.people)), label="mover")
        old = snap.people[pid]
        unit = data.draw(st.sampled_from(sorted(set(snap.units) - {old.unit})), label="to")
        people = {
            q: attrs.evolve(p, reports_to=old.reports_to) if p.reports_to == pid else p
            for q, p in snap.people.items()
        }
        # The mover has no reports left, so no one in the new branch can make a cycle.
        bosses = sorted(q for q in people if q != pid and in_branch(snap.units, people, q, unit))
        boss = data.draw(st.none() | st.sampled_from(bosses), label="boss") if bosses else None
        people[pid] = attrs.evolve(old, unit=unit, reports_to=boss)
        self.commit(clear_leads(attrs.evolve(snap, people=people)))
        assert () == self.snap.reports(pid)

    # --- units ---

    def _reparent_options(self) -> list[tuple[str, str]]:
        units = self.snap.units
        return sorted(
            (uid, target)
            for uid, u in units.items()
            if u.parent is not None
            for target in set(units) - subtree(units, uid) - {u.parent}
        )

    @precondition(lambda self: self._reparent_options())
    @rule(data=st.data())
    def reparent(self, data: st.DataObject) -> None:
        """A unit moves, with everything below it, under a unit outside its own subtree;
        managers who are no longer above their reports become unknown, and so do leads
        no longer in their unit's branch."""
        uid, target = data.draw(st.sampled_from(self._reparent_options()), label="move")
        snap = self.snap
        moved = attrs.evolve(
            snap, units={**snap.units, uid: attrs.evolve(snap.units[uid], parent=target)}
        )
        self.commit(clear_leads(unlink_managers(moved)))
        assert target == self.snap.ancestors(uid)[0]

    @rule(data=st.data())
    def rename(self, data: st.DataObject) -> None:
        """A unit changes its name, and nothing else changes."""
        snap = self.snap
        uid = data.draw(st.sampled_from(sorted(snap.units)), label="unit")
        name = data.draw(texts(), label="name")
        self.commit(
            attrs.evolve(snap, units={**snap.units, uid: attrs.evolve(snap.units[uid], name=name)})
        )
        assert self.before.people == self.snap.people

    @rule(data=st.data())
    def split(self, data: st.DataObject) -> None:
        """Part of a unit splits off as a new unit beside it (under it, for the root),
        taking some of its people and sub-units. Whoever's manager stayed behind out of
        their branch gets the nearest manager up their chain who is in it; leads no
        longer in branch are cleared; the new unit may get a lead from its people."""
        snap = self.snap
        uid = data.draw(st.sampled_from(sorted(snap.units)), label="unit")
        new = fresh(snap, data.draw(ids(), label="id"))
        parent = snap.units[uid].parent or uid
        movers = (
            data.draw(st.lists(st.sampled_from(snap.members(uid)), unique=True))
            if snap.members(uid)
            else []
        )
        children = list(snap.children(uid))
        adopted = data.draw(st.lists(st.sampled_from(children), unique=True)) if children else []
        units = {
            u: attrs.evolve(x, parent=new) if u in adopted else x for u, x in snap.units.items()
        }
        units[new] = Unit(id=new, name=data.draw(texts(), label="name"), parent=parent)
        people = {
            q: attrs.evolve(p, unit=new) if q in movers else p for q, p in snap.people.items()
        }
        after = clear_leads(reattach(attrs.evolve(snap, units=units, people=people)))
        leads = sorted(q for q in after.people if in_branch(after.units, after.people, q, new))
        chosen = (
            data.draw(st.lists(st.sampled_from(leads), unique=True, max_size=3), label="leads")
            if leads
            else []
        )
        units = {**after.units, new: attrs.evolve(after.units[new], leads=chosen)}
        self.commit(attrs.evolve(after, units=units))
        assert sorted(movers) == sorted(self.snap.members(new))

    def _merge_options(self) -> list[tuple[str, str]]:
        units = self.snap.units
        return sorted(
            (gone, into)
            for gone, u in units.items()
            if u.parent is not None
            for into in set(units) - subtree(units, gone)
        )

    @precondition(lambda self: len(self.snap.units) > 1)
    @rule(data=st.data())
    def merge(self, data: st.DataObject) -> None:
        """A unit is merged into another outside its subtree: its people and sub-units
        move there, relations to it now end there, and it is gone. Managers and leads are
        then repaired as for a split."""
        gone, into = data.draw(st.sampled_from(self._merge_options()), label="merge")
        snap = self.snap
        units = {
            u: attrs.evolve(x, parent=into) if x.parent == gone else x
            for u, x in snap.units.items()
            if u != gone
        }
        people = {
            q: attrs.evolve(p, unit=into) if p.unit == gone else p for q, p in snap.people.items()
        }
        merged = attrs.evolve(
            snap, units=units, people=people, relations=relink(snap.relations, gone, into)
        )
        self.commit(clear_leads(reattach(merged)))
        assert gone not in self.snap.units

    # --- invariants, independent of orgdiff.validate ---

    @invariant()
    def every_manager_exists(self) -> None:
        """Everyone's manager, every lead and every person's unit is in the snapshot."""
        snap = self.snap
        for p in snap.people.values():
            assert p.unit in snap.units
            assert p.reports_to is None or p.reports_to in snap.people
        for u in snap.units.values():
            assert all(q in snap.people for q in u.leads)
            assert u.parent is None or u.parent in snap.units

    @invariant()
    def one_root_and_no_unit_cycle(self) -> None:
        """Exactly one unit has no parent, and every unit's branch climbs to it."""
        units = self.snap.units
        roots = [uid for uid, u in units.items() if u.parent is None]
        assert len(roots) == 1
        for uid in units:
            assert roots[0] == branch(units, uid)[-1]

    @invariant()
    def no_reporting_cycle(self) -> None:
        """Following managers upwards from anyone ends at someone with no known manager."""
        people = self.snap.people
        for pid in people:
            seen = {pid}
            boss = people[pid].reports_to
            while boss is not None:
                assert boss not in seen, f"{pid} is in a reporting cycle through {boss}"
                seen.add(boss)
                boss = people[boss].reports_to

    @invariant()
    def managers_in_branch(self) -> None:
        """A manager sits in their report's unit or above it."""
        snap = self.snap
        for p in snap.people.values():
            if p.reports_to is not None:
                assert in_branch(snap.units, snap.people, p.reports_to, p.unit)

    @invariant()
    def leads_in_branch(self) -> None:
        """Each of a unit's leads sits in that unit or above it, and is listed once."""
        snap = self.snap
        for uid, u in snap.units.items():
            assert len(set(u.leads)) == len(u.leads)
            for q in u.leads:
                assert in_branch(snap.units, snap.people, q, uid)

    @invariant()
    def validates(self) -> None:
        """orgdiff's validation agrees: the org has no problem at all."""
        assert [] == orgdiff.validate(self.snap)

    @invariant()
    def diff_replays_the_step(self) -> None:
        """The diff of the last step, applied to the org before it, gives the org after it."""
        assert self.snap == orgdiff.apply(self.before, orgdiff.diff(self.before, self.snap))

    @invariant()
    def dump_reads_back(self) -> None:
        """The org written as YAML reads back as the same org."""
        assert self.snap == orgdiff.parse_snapshot(orgdiff.dump(self.snap))


# As many examples as the Hypothesis profile asks for, at most 100 (3,000 steps), 30 steps
# each: at the CI profile's 200 this one test took over a minute of the suite's ten.
TestOrg = OrgMachine.TestCase
TestOrg.settings = settings(
    max_examples=min(settings().max_examples, 100), stateful_step_count=30, deadline=None
)
