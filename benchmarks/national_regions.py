"""A generated national region tree for the benchmarks (never demo data, never real data).

The 31 provincial-level divisions carry their real 6-digit codes and names (padded to 12 digits
like the committed region files); everything below them is *generated* with a plausible code
structure and roughly the real counts — 333 prefecture-level units and ~2,850 county-level units
(per province: the 2023 counts of the statistical yearbook, rounded), and a few townships per
county so that orders can sit below the finest level the indicator fill keeps (``FINEST_DEPTH``).
Beijing is not generated: it keeps the real tree that ``load_regions`` loads.

Shape, as the ``Region`` model allows (it has no province level; Beijing, a provincial-level
municipality, is already a root of level ``city``):

  province (root, level ``city``)  PP0000000000        e.g. 440000000000 广东省
    prefecture (level ``city``)    PPCC00000000        generated, e.g. 440300000000 广东03市
      county (level ``district``)  PPCCDD000000        generated
        township (``township``)    PPCCDDTTT000        generated
  municipality (root, ``city``)    PP0000000000        天津、上海、重庆
    district (``district``)        PP01DD000000        generated, the real number of districts
      township (``township``)      PP01DDTTT000        generated

Four levels under a province is the deepest ``Region.path`` (60 characters) holds, so the
generated tree has no villages. Every generated row has ``source == GENERATED``: that is the flag,
and nothing here is imported by the platform or its demo.
"""

from __future__ import annotations

from dataclasses import dataclass

GENERATED = "generated: benchmarks/national_regions.py (benchmark only, not real division data)"


@dataclass(frozen=True)
class Province:
    code: str  # 2 digits
    name: str
    short: str
    prefectures: int  # 0 for a municipality (its districts hang off the root)
    counties: int  # county-level units (a municipality's districts and counties)
    population: int  # resident population, 10k, 2023 year-end (NBS, rounded): weights the load


PROVINCES: tuple[Province, ...] = (
    Province("11", "北京市", "北京", 0, 16, 2186),
    Province("12", "天津市", "天津", 0, 16, 1364),
    Province("13", "河北省", "河北", 11, 167, 7393),
    Province("14", "山西省", "山西", 11, 117, 3466),
    Province("15", "内蒙古自治区", "内蒙古", 12, 103, 2396),
    Province("21", "辽宁省", "辽宁", 14, 100, 4182),
    Province("22", "吉林省", "吉林", 9, 60, 2339),
    Province("23", "黑龙江省", "黑龙江", 13, 121, 3062),
    Province("31", "上海市", "上海", 0, 16, 2487),
    Province("32", "江苏省", "江苏", 13, 95, 8526),
    Province("33", "浙江省", "浙江", 11, 90, 6627),
    Province("34", "安徽省", "安徽", 16, 104, 6121),
    Province("35", "福建省", "福建", 9, 84, 4183),
    Province("36", "江西省", "江西", 11, 100, 4515),
    Province("37", "山东省", "山东", 16, 136, 10123),
    Province("41", "河南省", "河南", 17, 157, 9815),
    Province("42", "湖北省", "湖北", 13, 103, 5838),
    Province("43", "湖南省", "湖南", 14, 122, 6568),
    Province("44", "广东省", "广东", 21, 122, 12706),
    Province("45", "广西壮族自治区", "广西", 14, 111, 5027),
    Province("46", "海南省", "海南", 4, 25, 1043),
    Province("50", "重庆市", "重庆", 0, 38, 3191),
    Province("51", "四川省", "四川", 21, 183, 8368),
    Province("52", "贵州省", "贵州", 9, 88, 3865),
    Province("53", "云南省", "云南", 16, 129, 4673),
    Province("54", "西藏自治区", "西藏", 7, 74, 365),
    Province("61", "陕西省", "陕西", 10, 107, 3952),
    Province("62", "甘肃省", "甘肃", 14, 86, 2465),
    Province("63", "青海省", "青海", 8, 44, 594),
    Province("64", "宁夏回族自治区", "宁夏", 5, 22, 729),
    Province("65", "新疆维吾尔自治区", "新疆", 14, 107, 2598),
)
REAL_TREE = {"11"}  # provinces whose real tree comes from load_regions


@dataclass(frozen=True)
class Row:
    code: str
    name: str
    level: str
    parent_code: str  # "" for a root
    population: int | None = None


def _split(total: int, parts: int) -> list[int]:
    """``total`` counties over ``parts`` prefectures, as evenly as possible."""
    return [total // parts + (1 if n < total % parts else 0) for n in range(parts)]


def rows(
    townships_per_county: int = 4, *, skip: frozenset[str] = frozenset(REAL_TREE)
) -> list[Row]:
    """Every generated row, parents before children (provinces, prefectures, counties, townships)."""
    out: list[Row] = []
    counties: list[Row] = []
    for province in PROVINCES:
        if province.code in skip:
            continue
        root = f"{province.code}0000000000"
        out.append(Row(root, province.name, "city", "", province.population * 10_000))
        if province.prefectures == 0:  # municipality: districts straight under the root
            groups = [(f"{province.code}01", province.short, root, province.counties)]
        else:
            groups = []
            for c, size in enumerate(_split(province.counties, province.prefectures), start=1):
                code = f"{province.code}{c:02d}00000000"
                name = f"{province.short}{c:02d}市"
                out.append(Row(code, name, "city", root))
                groups.append((code[:4], name, code, size))
        for prefix, name, parent, size in groups:
            for d in range(1, size + 1):
                county = Row(f"{prefix}{d:02d}000000", f"{name}{d:02d}县", "district", parent)
                counties.append(county)
    out.extend(counties)
    for county in counties:
        for t in range(1, townships_per_county + 1):
            out.append(
                Row(f"{county.code[:6]}{t:03d}000", f"{county.name}{t}镇", "township", county.code)
            )
    return out


def insert(townships_per_county: int = 4) -> int:
    """Insert the generated tree (bulk, parents first) unless it is there; returns rows created.

    Needs Django set up. A code already in the table wins (Beijing's real tree from
    ``load_regions``, or Shijiazhuang's where it is loaded): that row and its generated subtree
    are left out.
    """
    from fawang.core.models import Region, region_path

    if Region.objects.filter(source=GENERATED).exists():
        return 0
    taken = set(Region.objects.values_list("code", flat=True))
    placed: dict[str, Region] = {}
    created = 0
    for level in ("root", "city", "district", "township"):
        batch = []
        for row in rows(townships_per_county):
            if ("root" if not row.parent_code else row.level) != level or row.code in taken:
                continue
            parent = placed.get(row.parent_code) if row.parent_code else None
            if row.parent_code and parent is None:
                continue  # its parent is a real region or was left out
            batch.append(
                Region(
                    code=row.code,
                    name=row.name,
                    level=row.level,
                    parent=parent,
                    path=region_path(row.code, parent.path if parent else None),
                    resident_population=row.population,
                    population_year=2023 if row.population else None,
                    source=GENERATED,
                )
            )
        Region.objects.bulk_create(batch, batch_size=2000)
        placed.update({r.code: r for r in batch})
        created += len(batch)
    return created
