"""Write the example company's monthly HR exports (made-up people, no real ones).

Run from the repository root: ``uv run python tests/data/hr/generate.py``.
January is the starting org; in February Platform splits into Infrastructure and
Developer Tools; in March Marketing is renamed Growth and Sales and Partnerships
merge into Revenue. The Salary, Home Address and Birth Date columns are there to
show that `orgdiff import` leaves them out.
"""

from __future__ import annotations

import random
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent.parent))

from hrgen import Employee, merge, names, rename, split, to_csv  # noqa: E402


def january() -> list[Employee]:
    rng = random.Random(2024)
    pool = iter(names(rng, 40))
    people: list[Employee] = []
    count = 0

    def hire(title: str, manager: str | None, department: str) -> str:
        nonlocal count
        count += 1
        first, last = next(pool)
        eid = f"{1000 + count}"
        people.append(Employee(eid, first, last, title, manager, department))
        return eid

    ceo = hire("Chief Executive", None, "Executive")
    hire("Chief of Staff", ceo, "Executive")
    cto = hire("Chief Technology Officer", ceo, "Engineering")
    plat = hire("Head of Platform", cto, "Platform")
    for title in (
        "Site Reliability Engineer",
        "Build Engineer",
        "Platform Engineer",
        "Platform Engineer",
        "Tools Engineer",
        "Tools Engineer",
    ):
        hire(title, plat, "Platform")
    prod = hire("Head of Product Engineering", cto, "Product Engineering")
    for _ in range(4):
        hire("Software Engineer", prod, "Product Engineering")
    sales = hire("Head of Sales", ceo, "Sales")
    for _ in range(3):
        hire("Account Executive", sales, "Sales")
    part = hire("Head of Partnerships", ceo, "Partnerships")
    hire("Partner Manager", part, "Partnerships")
    mkt = hire("Head of Marketing", ceo, "Marketing")
    for title in ("Content Lead", "Designer"):
        hire(title, mkt, "Marketing")
    return people


def main() -> None:
    jan = january()
    feb = split(jan, "Platform", ["Infrastructure", "Developer Tools"])
    mar = merge(rename(feb, "Marketing", "Growth"), ["Sales", "Partnerships"], "Revenue")
    for name, people in (("2024-01.csv", jan), ("2024-02.csv", feb), ("2024-03.csv", mar)):
        (HERE / name).write_text(to_csv(people, seed=len(name)), encoding="utf-8", newline="")


if __name__ == "__main__":
    main()
