"""Importing positions from the bureau's GIS: village (community) and service-point coordinates
as CSV or GeoJSON. Every row is checked; one bad row refuses the whole file and each bad row is
named with its own message (in the user's language), so nothing half-imported is left behind.

CSV: a header row, then ``区划代码,纬度,经度`` for villages or ``名称,纬度,经度`` for points (the
English names ``code``/``name``, ``latitude``, ``longitude`` are accepted too).
GeoJSON: a FeatureCollection of Point features (coordinates in longitude, latitude order) whose
properties carry ``code`` (villages) or ``name`` (points).
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from fawang.audit.services import record_event
from fawang.core.errors import InvalidInput, PermissionDenied
from fawang.core.models import Region, RegionLevel, User
from fawang.network import geo
from fawang.network.models import ServicePoint, VillagePosition
from fawang.network.services import MANAGERS

TARGETS = ("villages", "points")
MAX_ROWS = 20000
ALIASES = {
    "区划代码": "key", "code": "key", "名称": "key", "name": "key",
    "纬度": "latitude", "latitude": "latitude", "lat": "latitude",
    "经度": "longitude", "longitude": "longitude", "lon": "longitude", "lng": "longitude",
}  # fmt: skip
# How far outside the district boundaries a position may lie (degrees; about 5 km).
MARGIN = 0.05


@dataclass
class ImportResult:
    imported: int = 0
    errors: list[str] = field(default_factory=list)


def _rows_from_csv(text: str) -> list[tuple[int, dict[str, str]]]:
    reader = csv.reader(io.StringIO(text.lstrip("\ufeff")))
    header = next(reader, None)
    if not header:
        raise InvalidInput(_("文件为空。"), code="empty_file", field="file")
    names = [ALIASES.get(h.strip().lower(), ALIASES.get(h.strip(), "")) for h in header]
    if not {"key", "latitude", "longitude"} <= set(names):
        raise InvalidInput(
            _("表头应包含：区划代码（或名称）、纬度、经度。"), code="bad_header", field="file"
        )
    rows = []
    for number, values in enumerate(reader, start=2):
        if not any(v.strip() for v in values):
            continue
        rows.append((number, {n: v.strip() for n, v in zip(names, values, strict=False) if n}))
    return rows


def _rows_from_geojson(text: str, target: str) -> list[tuple[int, dict[str, str]]]:
    try:
        data = json.loads(text)
        features = data["features"]
        assert isinstance(features, list)
    except (ValueError, KeyError, TypeError, AssertionError):
        raise InvalidInput(
            _("GeoJSON 文件应为包含 features 的 FeatureCollection。"),
            code="bad_geojson",
            field="file",
        ) from None
    rows = []
    key = "code" if target == "villages" else "name"
    for number, feature in enumerate(features, start=1):
        try:
            geometry = feature["geometry"]
            props = feature.get("properties") or {}
            lon, lat = (geometry["coordinates"] + [None, None])[:2] if geometry["type"] == "Point" else (None, None)  # fmt: skip
        except (KeyError, TypeError, AttributeError):
            lon, lat, props = None, None, {}
        rows.append((number, {"key": str(props.get(key, "")), "latitude": str(lat or ""), "longitude": str(lon or "")}))  # fmt: skip
    return rows


def _number(value: str) -> Decimal | None:
    try:
        number = Decimal(value)
    except (InvalidOperation, ValueError):
        return None
    return number if number.is_finite() else None


def _check_position(lat: Decimal, lon: Decimal, region: Region) -> str:
    """'' when the position lies within (a margin of) the city's packaged district boundaries."""
    city_code = region.path.strip("/").split("/")[0]
    city = Region.objects.filter(code=city_code).first()
    shapes = geo.boundaries(city.code) if city else {}
    if not shapes:
        return ""
    x0 = min(s.bbox[0] for s in shapes.values()) - MARGIN
    y0 = min(s.bbox[1] for s in shapes.values()) - MARGIN
    x1 = max(s.bbox[2] for s in shapes.values()) + MARGIN
    y1 = max(s.bbox[3] for s in shapes.values()) + MARGIN
    if not (y0 <= lat <= y1 and x0 <= lon <= x1):
        return _("坐标（纬度 %(lat)s，经度 %(lon)s）不在%(city)s范围内，请检查经纬度是否填反") % {
            "lat": lat,
            "lon": lon,
            "city": city.name if city else _("本市"),
        }
    return ""


def _targets(actor: User, target: str, keys: set[str]) -> dict[str, Any]:
    if target == "villages":
        found = Region.objects.filter(code__in=keys, level=RegionLevel.VILLAGE)
        return {r.code: r for r in found}
    points = ServicePoint.objects.filter(name__in=keys).select_related("region")
    return {p.name: p for p in points}


def import_positions(actor: User, target: str, filename: str, text: str) -> ImportResult:
    """Validate every row, then save all of them or none."""
    if actor.role not in MANAGERS or actor.region is None:
        raise PermissionDenied(_("只有市、区司法局可以导入坐标。"), code="not_manager")
    if target not in TARGETS:
        raise InvalidInput(
            _("请选择导入村居坐标或服务场所坐标。"), code="bad_choice", field="target"
        )
    is_geojson = filename.lower().endswith((".geojson", ".json"))
    rows = _rows_from_geojson(text, target) if is_geojson else _rows_from_csv(text)
    if not rows:
        raise InvalidInput(_("文件中没有数据行。"), code="empty_file", field="file")
    if len(rows) > MAX_ROWS:
        raise InvalidInput(
            _("一次最多导入 %(n)s 行。") % {"n": MAX_ROWS}, code="too_many_rows", field="file"
        )
    where = _("第 %(n)s 行") if not is_geojson else _("第 %(n)s 个要素")
    known = _targets(actor, target, {r["key"] for _number, r in rows})
    result, seen, good = ImportResult(), set(), []
    for number, row in rows:
        label = where % {"n": number}
        key = row.get("key", "")
        lat, lon = _number(row.get("latitude", "")), _number(row.get("longitude", ""))
        thing = known.get(key)
        region = thing if isinstance(thing, Region) else getattr(thing, "region", None)
        if not key:
            problem = _("缺少区划代码") if target == "villages" else _("缺少服务场所名称")
        elif thing is None:
            problem = (
                _("未找到村（社区）“%(key)s”") % {"key": key}
                if target == "villages"
                else _("未找到服务场所“%(key)s”") % {"key": key}
            )
        elif region is None or not actor.region.contains(region):
            problem = _("“%(key)s”不在您主管的地区内") % {"key": key}
        elif key in seen:
            problem = _("“%(key)s”在文件中重复出现") % {"key": key}
        elif lat is None or lon is None:
            problem = _("纬度和经度应为数字")
        else:
            problem = _check_position(lat, lon, region)
        if problem:
            result.errors.append(
                _("%(where)s：%(problem)s。") % {"where": label, "problem": problem}
            )
            continue
        seen.add(key)
        good.append((thing, lat.quantize(Decimal("0.000001")), lon.quantize(Decimal("0.000001"))))  # type: ignore[union-attr]
    if result.errors:
        return result
    _save(actor, target, filename, good)
    result.imported = len(good)
    return result


def _save(
    actor: User, target: str, filename: str, good: list[tuple[Any, Decimal, Decimal]]
) -> None:
    now = timezone.now()
    with transaction.atomic():
        for thing, lat, lon in good:
            if target == "villages":
                VillagePosition.objects.update_or_create(
                    region=thing,
                    defaults={
                        "latitude": lat,
                        "longitude": lon,
                        "source": filename[:200],
                        "imported_at": now,
                    },
                )
            else:
                thing.latitude, thing.longitude = lat, lon
                thing.save(update_fields=["latitude", "longitude", "updated_at"])
        record_event(
            "network.positions_imported",
            actor=actor,
            detail={"target": target, "rows": len(good), "file": filename[:100]},
        )
