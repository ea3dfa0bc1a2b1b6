"""Every request a service takes is bounded: each string has a maximum length, each list a
maximum number of items and each object a maximum number of keys, stated in the OpenAPI
document so clients see them. Without them one request (30,000 witnesses, 1,500 aims of 1,000
characters) became an event larger than the broker takes, and the outbox relay stopped on it.

The OpenAPI walk needs no database or broker: each service's ``bootstrap()`` builds its app
without starting it. The requests at the end go through the real stack."""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import importlib
import re
from pathlib import Path
from typing import Any

import pytest

from awasi_common.events import encode
from awasi_common.limits import DAFTAR, ISI_MAKS_BYTE, PESAN_MAKS_BYTE

SERVICES = ("planning", "participation", "reporting", "notification", "identity")
METHODS = ("get", "put", "post", "delete", "patch")
UNBOUNDED_FORMATS = {"date", "date-time", "time", "uuid", "binary"}
"""Formats whose length the format itself bounds, or (``binary``, and a string with a
``contentMediaType``) an uploaded file, whose size the service checks as it reads it."""
OUTSIDE_THE_SERVICES = {
    "GET /events/schemas/{ce_type}.json path.ce_type": "the event catalog's route, which every service gets "
    "from awasi_common.runtime: a look-up key, neither stored nor published",
}
"""Unbounded parameters of routes the services do not declare themselves (see
``test_the_shared_routes_are_bounded_too``)."""
_CHARACTER_CLASS = re.compile(r"\[(?:\\.|[^\]\\])*\]")
_REPEAT = re.compile(r"(?<!\\)[*+]|\{\d+,\}")


def _bounded_pattern(pattern: str) -> bool:
    """A pattern anchored at both ends without an unbounded repetition bounds the length."""
    if not (pattern.startswith("^") and pattern.endswith("$")):
        return False
    return not _REPEAT.search(_CHARACTER_CLASS.sub("", pattern))


class _Walk:
    def __init__(self, document: dict[str, Any]) -> None:
        self.components = document.get("components", {}).get("schemas", {})
        self.offending: list[str] = []

    def schema(self, schema: dict[str, Any] | bool, where: str, seen: frozenset[str] = frozenset()) -> None:
        if schema is True or schema == {}:
            self.offending.append(f"{where}: any value (no type)")
            return
        if not isinstance(schema, dict):
            return
        ref = schema.get("$ref")
        if ref:
            name = ref.rsplit("/", 1)[-1]
            if name not in seen:
                self.schema(self.components[name], where, seen | {name})
            return
        for combinator in ("anyOf", "oneOf", "allOf"):
            for option in schema.get(combinator, []):
                self.schema(option, where, seen)
        if any(k in schema for k in ("anyOf", "oneOf", "allOf")) and "type" not in schema:
            return
        if "enum" in schema or "const" in schema:
            return
        kind = schema.get("type")
        kinds = kind if isinstance(kind, list) else [kind]
        if kind is None and not schema.get("properties"):
            self.offending.append(f"{where}: any value (no type)")
        if "string" in kinds and not (
            "maxLength" in schema
            or schema.get("format") in UNBOUNDED_FORMATS
            or "contentMediaType" in schema
            or _bounded_pattern(schema.get("pattern", ""))
        ):
            self.offending.append(f"{where}: string without maxLength")
        if "array" in kinds:
            if "maxItems" not in schema:
                self.offending.append(f"{where}: array without maxItems")
            self.schema(schema.get("items", {}), f"{where}[]", seen)
            for index, item in enumerate(schema.get("prefixItems", [])):
                self.schema(item, f"{where}[{index}]", seen)
        if "object" in kinds or schema.get("properties"):
            for name, sub in schema.get("properties", {}).items():
                self.schema(sub, f"{where}.{name}", seen)
            extra = schema.get("additionalProperties", False)
            if extra is not False:
                if "maxProperties" not in schema:
                    self.offending.append(f"{where}: object with free keys without maxProperties")
                keys = schema.get("propertyNames")
                if keys is None:
                    self.offending.append(f"{where}: object keys without maxLength (propertyNames)")
                else:
                    self.schema({"type": "string", **keys}, f"{where}{{key}}", seen)
                self.schema(extra, f"{where}{{}}", seen)

    def operation(self, method: str, path: str, operation: dict[str, Any]) -> None:
        label = f"{method.upper()} {path}"
        for parameter in operation.get("parameters", []):
            self.schema(parameter.get("schema", {}), f"{label} {parameter['in']}.{parameter['name']}")
        for media, content in operation.get("requestBody", {}).get("content", {}).items():
            self.schema(content.get("schema", {}), f"{label} body({media})")


@functools.cache
def _openapi(service: str) -> dict[str, Any]:
    bootstrap = importlib.import_module(f"awasi_{service}.bootstrap").bootstrap
    document: dict[str, Any] = bootstrap().openapi()
    return document


def unbounded(document: dict[str, Any]) -> list[str]:
    walk = _Walk(document)
    for path, item in document.get("paths", {}).items():
        for method in METHODS:
            if method in item:
                walk.operation(method, path, item[method])
    return walk.offending


def _where(finding: str) -> str:
    return finding.split(": ", 1)[0]


@pytest.mark.parametrize("service", SERVICES)
def test_every_request_field_is_bounded_in_openapi(service: str) -> None:
    offending = [f for f in unbounded(_openapi(service)) if _where(f) not in OUTSIDE_THE_SERVICES]
    assert not offending, f"{service}: {len(offending)} unbounded request fields:\n" + "\n".join(offending)


def test_the_shared_routes_are_bounded_too() -> None:
    offending = [f for f in unbounded(_openapi("planning")) if _where(f) in OUTSIDE_THE_SERVICES]
    assert not offending, "\n".join(offending)


def test_the_walk_finds_what_is_unbounded() -> None:
    document = {
        "paths": {
            "/x/{id}": {
                "post": {
                    "parameters": [{"in": "path", "name": "id", "schema": {"type": "string"}}],
                    "requestBody": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/X"}}}},
                }
            }
        },
        "components": {
            "schemas": {
                "X": {
                    "type": "object",
                    "properties": {
                        "ok": {"type": "string", "maxLength": 10},
                        "tanggal": {"type": "string", "format": "date"},
                        "kode": {"type": "string", "pattern": "^[0-9+]{2,8}$"},
                        "aturan": {"type": "string", "pattern": "^FREQ=[A-Z]+$"},
                        "daftar": {"type": "array", "items": {"type": "string"}, "maxItems": 3},
                        "nilai": {"type": "object", "additionalProperties": {"type": "number"}},
                        "apa_saja": {},
                        "pilihan": {"anyOf": [{"enum": ["a"]}, {"type": "null"}]},
                    },
                }
            }
        },
    }
    assert unbounded(document) == [
        "POST /x/{id} path.id: string without maxLength",
        "POST /x/{id} body(application/json).aturan: string without maxLength",
        "POST /x/{id} body(application/json).daftar[]: string without maxLength",
        "POST /x/{id} body(application/json).nilai: object with free keys without maxProperties",
        "POST /x/{id} body(application/json).nilai: object keys without maxLength (propertyNames)",
        "POST /x/{id} body(application/json).apa_saja: any value (no type)",
    ]


# --- the bounds fit real documents, and the largest valid request still makes an event ------------

DOCUMENTS = Path(__file__).resolve().parents[2].parent / "shared" / "documents"
PLANS = ("000_a9af13b0eaf7620d.txt", "001_ca2d3250fc9f7651.part1.txt")
UNIT = "35.05"


def _as_request(kegiatan: Any) -> dict[str, Any]:
    """A kegiatan read from a document, written the way an operator would send it."""
    data = dataclasses.asdict(kegiatan)
    fields = set(importlib.import_module("awasi_planning.entrypoints.schemas").KegiatanIn.model_fields)
    body = {key: value for key, value in data.items() if key in fields and value is not None}
    body["jadwal"] = {key: value for key, value in data["jadwal"].items() if value is not None}
    return body


@pytest.mark.parametrize("name", PLANS)
def test_the_kegiatan_of_real_plans_fit_the_request_bounds(name: str) -> None:
    from awasi_planning.entrypoints.schemas import KegiatanIn
    from awasi_planning.service_layer.importing import plan_import

    plan = plan_import((DOCUMENTS / name).read_bytes(), name, unit=UNIT)
    assert plan.items
    for _, kegiatan in plan.items:
        KegiatanIn.model_validate(_as_request(kegiatan))


def test_the_largest_valid_kegiatan_and_realisasi_make_events_the_broker_takes() -> None:
    from pydantic import ValidationError

    from awasi_planning.entrypoints.schemas import KegiatanIn, RealisasiIn

    # Control characters are six bytes each as JSON: the worst text for its length. 21 points of
    # 2,000 of them come just under the whole-request bound; 22 go over it.
    point = "\x01" * 2000
    base = {
        "unit": UNIT,
        "divisi": "P2H",
        "judul": "Sosialisasi",
        "jadwal": {"mulai": "2026-11-02", "selesai": "2026-11-03"},
    }
    with pytest.raises(ValidationError, match=r"isi permintaan terlalu besar.*isian terbesar: tujuan"):
        KegiatanIn.model_validate({**base, "tujuan": [point] * 22})
    with pytest.raises(ValidationError, match="isian terbesar: output_tercapai"):
        RealisasiIn.model_validate({"output_tercapai": [point] * 22})

    kegiatan = KegiatanIn.model_validate({**base, "tujuan": [point] * 21}).domain()
    kegiatan.schedule()
    kegiatan.complete(
        RealisasiIn.model_validate({"output_tercapai": [point] * 21}).domain(), today=dt.date(2026, 11, 2)
    )
    sizes = {type(event).__name__: len(encode(event)) for event in kegiatan.pull_events()}
    assert set(sizes) == {"KegiatanScheduled", "KegiatanCompleted"}
    assert ISI_MAKS_BYTE < sizes["KegiatanCompleted"] < 2 * ISI_MAKS_BYTE + 16 * 1024 < PESAN_MAKS_BYTE, sizes


# --- through the real stack -------------------------------------------------------------------------


def _errors(response: Any) -> dict[str, dict[str, str]]:
    return {e["lokasi"]: e for e in response.json()["errors"]}


def _kegiatan(**fields: Any) -> dict[str, Any]:
    return {
        "unit": UNIT,
        "divisi": "P2H",
        "judul": "Sosialisasi Pengawasan Partisipatif",
        "jadwal": {"mulai": "2026-11-02", "selesai": "2026-11-03"},
        **fields,
    }


async def test_kegiatan_past_its_bounds_is_refused_naming_the_field(start_service, tokens) -> None:
    planning = await start_service("planning")
    auth = tokens(UNIT)

    # The request of issue 12: 1,500 aims of 1,000 characters (1.5 MB). Refused by the schema, or
    # by a body limit before the schema reads it; never accepted.
    response = await planning.post("/kegiatan", json=_kegiatan(tujuan=["x" * 1000] * 1500), headers=auth)
    assert response.status_code in (413, 422), response.text
    if response.status_code == 422:
        assert _errors(response)["tujuan"]["jenis"] == "too_long"

    # The same under any body limit (600 KB): the answer names the field and the bound.
    response = await planning.post("/kegiatan", json=_kegiatan(tujuan=["x" * 400] * 1500), headers=auth)
    assert response.status_code == 422, response.text
    tujuan = _errors(response)["tujuan"]
    assert tujuan["jenis"] == "too_long" and tujuan["pesan"] == f"terlalu banyak (paling banyak {DAFTAR} butir)"
    assert "tujuan: terlalu banyak" in response.json()["detail"]

    response = await planning.post(
        "/kegiatan", json=_kegiatan(judul="J" * 301, sasaran=["ok", "s" * 2001]), headers=auth
    )
    assert response.status_code == 422, response.text
    errors = _errors(response)
    assert errors["judul"]["pesan"] == "terlalu panjang (paling banyak 300 karakter)"
    assert errors["sasaran.1"]["pesan"] == "terlalu panjang (paling banyak 2000 karakter)"

    # Every field within its bound, the whole too large for an event.
    lists = {name: ["y" * 2000] * DAFTAR for name in ("tujuan", "output", "sasaran")}
    response = await planning.post("/kegiatan", json=_kegiatan(**lists), headers=auth)
    assert response.status_code == 422, response.text
    assert "isi permintaan terlalu besar" in response.json()["detail"]

    listed = await planning.get("/kegiatan", params={"unit": UNIT}, headers=auth)
    assert listed.status_code == 200 and listed.json() == []
    assert (await planning.post("/kegiatan", json=_kegiatan(tujuan=["z" * 2000] * 10), headers=auth)).status_code == 201


POJOK = {
    "unit": "35.05.01",
    "program": "pojok_pengawasan",
    "nama": "Pojok Pengawasan Kecamatan",
    "pojok_pengawasan": {
        "tempat": "kantor",
        "alamat": "Jl. Raya 1",
        "jam_buka": [{"hari": "senin", "buka": "08:00", "tutup": "15:00"}],
    },
}


def _laporan(saksi: list[str]) -> dict[str, Any]:
    today = dt.date.today()
    return {
        "pelapor": {"nama": "Budi Warga"},
        "terlapor": "Tim sukses calon fiktif",
        "peristiwa": {
            "apa": "Pembagian uang",
            "tempat": "Pasar Wonodadi",
            "waktu_kejadian": (today - dt.timedelta(days=1)).isoformat(),
            "waktu_diketahui": today.isoformat(),
        },
        "uraian": "Uang dibagikan disertai ajakan memilih calon tertentu.",
        "saksi": saksi,
    }


async def test_pojok_laporan_with_30000_saksi_is_refused(start_service, tokens) -> None:
    participation = await start_service("participation")
    kec = tokens("35.05.01")
    formed = await participation.post("/program", json=POJOK, headers=kec)
    assert formed.status_code == 201, formed.text
    url = f"/program/{formed.json()['id']}/laporan"

    # The request of issue 12: 30,000 saksi of 1 KB (30 MB), answered 202 before.
    response = await participation.post(url, json=_laporan(["s" * 1024] * 30_000), headers=kec)
    assert response.status_code in (413, 422), response.text[:500]

    response = await participation.post(url, json=_laporan([f"Saksi {i}" for i in range(30_000)]), headers=kec)
    assert response.status_code == 422, response.text[:500]
    assert _errors(response)["saksi"]["pesan"] == "terlalu banyak (paling banyak 20 butir)"

    accepted = await participation.post(url, json=_laporan([f"Saksi {i}" for i in range(20)]), headers=kec)
    assert accepted.status_code == 202, accepted.text
