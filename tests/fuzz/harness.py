"""Schemathesis against a live service: every operation of its OpenAPI, positive and negative
data, a fixed number of examples per operation and a fixed seed per operation.

Each generated request goes over HTTP to the service (running in the test's event loop, see
``conftest.py``) from a worker thread, as one of a few callers: the unit's operator, Bawaslu RI's
admin, or nobody. Before it is sent, a case may have its unit and its path ids replaced by ones
that exist (drawn by Hypothesis too, so the run stays deterministic), so requests reach the
domain instead of stopping at "not found" or "not your unit".

Every response is checked for:

- no 5xx (``not_a_server_error``);
- conformance to the OpenAPI: status code, content type, headers and body schema;
- JSON bodies whose numbers are NaN or Infinity (which Python's JSON reader takes) answered
  without a 5xx;
- every rejection explained: a 4xx answers JSON with a non-empty ``detail`` in Indonesian, and
  each validation error (``errors[].pesan``) in Indonesian too (``explained_rejection``).

A sample of rejected writes is replayed afterwards on a quiet service with the row counts of all
the service's tables (domain tables, outbox, inbox) taken before and after: a rejected write
leaves every table as it was (no partial writes).
"""

from __future__ import annotations

import contextlib
import json
import math
import re
import time
import zlib
from dataclasses import dataclass, field
from typing import Any

import requests
import schemathesis
from hypothesis import HealthCheck, Phase, Verbosity, given, seed, settings
from hypothesis import strategies as st
from hypothesis.errors import Unsatisfiable
from schemathesis.checks import not_a_server_error
from schemathesis.core.failures import Failure, FailureGroup
from schemathesis.core.result import Err
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from .conftest import Live

WRITES = {"POST", "PUT", "PATCH", "DELETE"}

# --- "every rejection explained" -------------------------------------------------------------

_INDONESIAN = re.compile(
    r"\b(tidak|bukan|harus|wajib|hanya|sudah|belum|terlalu|paling|dapat|untuk|yang|dan|atau|ini|itu|dari|"
    r"pada|dengan|tanpa|sertakan|sebutkan|pilih|minimal|satu|misalnya|coba|lagi|berhak|memerlukan|ditemukan|"
    r"dikenal|diizinkan|berupa|kosong|sah|diisi|isian|nilai|jenis|boleh|lebih|kurang|sebelum|setelah|masih|"
    r"telah|akan|sedang|unit|alamat|metode|berkas|token|peran|akun|kegiatan|laporan|tanggal|permintaan)\b",
    re.IGNORECASE,
)
# What FastAPI, Starlette and pydantic say in English when an answer is not translated.
_ENGLISH = re.compile(
    r"^(?:input should|field required|string should|list should|value should|tuple should|set should|"
    r"dictionary should|object has|unable to|invalid|extra inputs|decimal input|url should|url input|"
    r"timezone|datetime should|date should|time should|value error|assertion failed|expected|json input|"
    r"not found|method not allowed|not authenticated|unprocessable|internal server error|bad request|"
    r"forbidden|unauthorized|too many requests|payload too large|request entity|there was an error|"
    r"uuid input|input is|should be|ensure this|missing|error)",
    re.IGNORECASE,
)


def untranslated(text: str) -> bool:
    """Whether a message a user reads is English (or says nothing) instead of Indonesian."""
    stripped = text.strip()
    return not stripped or bool(_ENGLISH.match(stripped)) or not _INDONESIAN.search(stripped)


def explained_rejection(ctx: Any, response: schemathesis.Response, case: schemathesis.Case) -> bool | None:
    """A 4xx answers JSON with a ``detail`` that tells, in Indonesian, why the request was refused."""
    if not 400 <= response.status_code < 500:
        return None
    try:
        body = json.loads(response.content or b"null")
    except ValueError:
        body = None
    if not isinstance(body, dict):
        raise Failure(
            operation=case.operation.label,
            title="Rejection without an explanation",
            message=f"{response.status_code} answered {response.content[:200]!r}: no JSON object with `detail`",
        )
    detail = body.get("detail")
    if not isinstance(detail, str) or untranslated(detail):
        raise Failure(
            operation=case.operation.label,
            title="Rejection not explained in Indonesian",
            message=f"{response.status_code} with detail {detail!r}",
        )
    for error in body.get("errors") or []:
        pesan = error.get("pesan") if isinstance(error, dict) else None
        if not isinstance(pesan, str) or untranslated(pesan) or not isinstance(error.get("lokasi"), str):
            raise Failure(
                operation=case.operation.label,
                title="Validation error not explained in Indonesian",
                message=f"{response.status_code}: error {error!r} (jenis {error.get('jenis')!r})",
            )
    return None


CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    explained_rejection,
]


STRANGE_TEXT = ["\ud800x", "a\udfff", "\x00", "a\x00b"]
"""Lone surrogates and NUL: what broke a dozen endpoints, one of them for every later read."""


def _count_strings(body: Any) -> int:
    if isinstance(body, str):
        return 1
    if isinstance(body, dict):
        return sum(_count_strings(v) for v in body.values())
    if isinstance(body, list):
        return sum(_count_strings(v) for v in body)
    return 0


def _replace_string(body: Any, index: int, value: str) -> Any:
    """``body`` with its ``index``-th string (depth first) replaced by ``value``."""
    seen = 0

    def walk(node: Any) -> Any:
        nonlocal seen
        if isinstance(node, str):
            seen += 1
            return value if seen - 1 == index else node
        if isinstance(node, dict):
            return {k: walk(v) for k, v in node.items()}
        if isinstance(node, list):
            return [walk(v) for v in node]
        return node

    return walk(body)


def _has_numbers(body: Any) -> bool:
    if isinstance(body, bool):
        return False
    if isinstance(body, int | float):
        return True
    if isinstance(body, dict):
        return any(_has_numbers(v) for v in body.values())
    if isinstance(body, list):
        return any(_has_numbers(v) for v in body)
    return False


def _replace_numbers(body: Any, value: float) -> Any:
    if isinstance(body, bool):
        return body
    if isinstance(body, int | float):
        return value
    if isinstance(body, dict):
        return {k: _replace_numbers(v, value) for k, v in body.items()}
    if isinstance(body, list):
        return [_replace_numbers(v, value) for v in body]
    return body


# --- the run ---------------------------------------------------------------------------------


@dataclass
class Finding:
    operation: str
    title: str
    status: int | None
    message: str
    reproduce: str

    def render(self) -> str:
        return f"{self.operation}: {self.title} (status {self.status})\n  {self.message}\n  {self.reproduce}"


@dataclass
class Rejected:
    """A write the service refused during the run, kept to replay for the partial-write check."""

    case: schemathesis.Case
    headers: dict[str, str]
    status: int


@dataclass
class Report:
    service: str
    operations: int = 0
    requests: int = 0
    statuses: dict[int, int] = field(default_factory=dict)
    findings: dict[tuple[str, str, int | None], Finding] = field(default_factory=dict)
    rejected: dict[tuple[str, int], list[Rejected]] = field(default_factory=dict)
    replayed: int = 0
    seconds: float = 0.0

    def add(self, finding: Finding) -> None:
        self.findings.setdefault((finding.operation, finding.title, finding.status), finding)

    def summary(self) -> str:
        statuses = ", ".join(f"{code}: {n}" for code, n in sorted(self.statuses.items()))
        return (
            f"{self.service}: {self.operations} operations, {self.requests} requests ({statuses}), "
            f"{self.replayed} rejected writes replayed, {len(self.findings)} findings, {self.seconds:.0f}s"
        )

    def failures(self) -> str:
        return "\n\n".join(f.render() for f in self.findings.values())


@dataclass
class Callers:
    """The headers of the callers a case is sent as: the unit's operator, RI's admin, nobody."""

    operator: dict[str, str]
    admin: dict[str, str]

    def choices(self) -> list[dict[str, str]]:
        return [self.operator, self.admin, self.operator, {}]


@dataclass
class Fuzzer:
    live: Live
    callers: Callers
    unit: str
    known: dict[str, list[str]] = field(default_factory=dict)
    """Path parameter name -> ids that exist."""
    max_examples: int = 25
    replay_per_status: int = 3
    share: tuple[int, int] = (0, 1)
    """``(k, n)``: only the k-th of n shares of the operations (every n-th, from the k-th, in the
    document's order), so that one service's long run can be split over files run side by side."""

    def run(self) -> Report:
        started = time.monotonic()
        report = Report(self.live.name)
        schema = schemathesis.openapi.from_url(f"{self.live.base_url}/openapi.json")
        # NUL is generated too (in paths, queries and bodies); lone surrogates, which no codec
        # generates, are sent by ``_strange_text`` below.
        schema.config.generation.update(with_security_parameters=False, allow_x00=True, codec="utf-8")
        session = requests.Session()
        which, shares = self.share
        for position, result in enumerate(schema.get_all_operations()):
            if isinstance(result, Err):
                raise AssertionError(f"{self.live.name}: the OpenAPI document is invalid: {result.err()}")
            if position % shares != which:
                continue
            operation = result.ok()
            report.operations += 1
            for mode in (schemathesis.GenerationMode.POSITIVE, schemathesis.GenerationMode.NEGATIVE):
                self._fuzz(operation, mode, self.known, session, report)
        self._replay(session, report)
        report.seconds = time.monotonic() - started
        return report

    def _fuzz(
        self,
        operation: Any,
        mode: schemathesis.GenerationMode,
        known: dict[str, list[str]],
        session: requests.Session,
        report: Report,
    ) -> None:
        strategy = operation.as_strategy(generation_mode=mode)
        base_url = self.live.base_url

        @seed(zlib.crc32(f"{operation.label} {mode.value}".encode()))
        @settings(
            max_examples=self.max_examples,
            database=None,
            deadline=None,
            phases=[Phase.explicit, Phase.generate],
            suppress_health_check=list(HealthCheck),
            verbosity=Verbosity.quiet,
        )
        @given(case=strategy, data=st.data())
        def one(case: schemathesis.Case, data: st.DataObject) -> None:
            headers = data.draw(st.sampled_from(self.callers.choices()))
            self._aim(case, data, known)
            try:
                response = case.call(base_url=base_url, session=session, headers=dict(headers), timeout=30)
            except requests.ConnectionError as error:
                report.add(Finding(operation.label, "Connection dropped", None, str(error), case.as_curl_command()))
                return
            except (requests.RequestException, ValueError, UnicodeError):
                return  # a request the HTTP client itself refuses to send (bad header bytes)
            report.requests += 1
            report.statuses[response.status_code] = report.statuses.get(response.status_code, 0) + 1
            try:
                case.validate_response(
                    response,
                    checks=CHECKS,
                    headers=headers,
                    transport_kwargs={"base_url": base_url, "session": session, "headers": headers},
                )
            except FailureGroup as group:
                for failure in group.exceptions:
                    self._found(report, operation.label, failure, response.status_code, case, headers)
            except Failure as failure:
                self._found(report, operation.label, failure, response.status_code, case, headers)
            if operation.method.upper() in WRITES and 400 <= response.status_code < 500:
                slot = report.rejected.setdefault((operation.label, response.status_code), [])
                if len(slot) < self.replay_per_status:
                    slot.append(Rejected(case, headers, response.status_code))
            json_body = case.media_type == "application/json" and _has_numbers(case.body)
            if mode == schemathesis.GenerationMode.POSITIVE and json_body and data.draw(st.booleans()):
                value = data.draw(st.sampled_from([math.nan, math.inf, -math.inf, 1e308 * 10]))
                self._mutated(operation.label, case, headers, _replace_numbers(case.body, value), session, report)
            strings = _count_strings(case.body) if case.media_type == "application/json" else 0
            if mode == schemathesis.GenerationMode.POSITIVE and strings and data.draw(st.booleans()):
                # One string at a time: the others stay valid, so the request gets as far as it can.
                strange = data.draw(st.sampled_from(STRANGE_TEXT))
                which = data.draw(st.integers(0, strings - 1))
                body = _replace_string(case.body, which, strange)
                self._mutated(operation.label, case, headers, body, session, report)

        with contextlib.suppress(Unsatisfiable):  # no negative data for an operation without input
            one()

    def _mutated(
        self,
        label: str,
        case: schemathesis.Case,
        headers: dict[str, str],
        body: Any,
        session: requests.Session,
        report: Report,
    ) -> None:
        """The same body with its numbers made NaN or Infinity (Python's JSON reader, and so
        FastAPI's, takes them although JSON has no such numbers), or its strings made lone
        surrogates or NUL (valid JSON escapes, but no text PostgreSQL or UTF-8 can hold)."""
        kwargs = case.as_transport_kwargs(base_url=self.live.base_url, headers=dict(headers))
        kwargs.pop("json", None)
        kwargs["data"] = json.dumps(body).encode()  # ensure_ascii: "\ud800" travels escaped
        kwargs["headers"] = {**kwargs.get("headers", {}), "Content-Type": "application/json"}
        response = session.request(**kwargs, timeout=30)
        report.requests += 1
        report.statuses[response.status_code] = report.statuses.get(response.status_code, 0) + 1
        try:
            detail = response.json().get("detail") if response.status_code >= 400 else None
        except ValueError:
            detail = None
        if response.status_code >= 500 or (response.status_code >= 400 and not isinstance(detail, str)):
            title = "Server error on a mutated body" if response.status_code >= 500 else "Unexplained rejection"
            report.add(Finding(label, title, response.status_code, response.text[:300], f"{kwargs['data'][:300]!r}"))
        elif response.status_code >= 400 and isinstance(detail, str) and untranslated(detail):
            report.add(Finding(label, "Rejection not explained in Indonesian", response.status_code, detail, ""))

    def _aim(self, case: schemathesis.Case, data: st.DataObject, known: dict[str, list[str]]) -> None:
        """Point some cases at the caller's unit and at things that exist."""
        if isinstance(case.body, dict) and "unit" in case.body and data.draw(st.booleans()):
            case.body["unit"] = self.unit
        if case.query and "unit" in case.query and data.draw(st.booleans()):
            case.query["unit"] = self.unit
        for name in list(case.path_parameters or {}):
            if known.get(name) and data.draw(st.booleans()):
                assert case.path_parameters is not None
                case.path_parameters[name] = data.draw(st.sampled_from(known[name]))

    def _found(
        self,
        report: Report,
        label: str,
        failure: Failure,
        status: int,
        case: schemathesis.Case,
        headers: dict[str, str],
    ) -> None:
        reproduce = case.as_curl_command(headers={k: "…" for k in headers})
        report.add(Finding(label, failure.title, status, failure.message[:1500], reproduce))

    # --- no partial writes ---------------------------------------------------------------

    def _quiet(self) -> dict[str, int]:
        """Wait until the service's tables stop changing (consumers caught up); their counts."""
        last = self.live.run(self.live.counts())
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            time.sleep(0.3)
            now = self.live.run(self.live.counts())
            if now == last:
                return now
            last = now
        return last

    def _replay(self, session: requests.Session, report: Report) -> None:
        before = self._quiet()
        for (label, _), cases in sorted(report.rejected.items(), key=lambda item: item[0]):
            for rejected in cases:
                response = rejected.case.call(
                    base_url=self.live.base_url, session=session, headers=rejected.headers, timeout=30
                )
                report.replayed += 1
                after = self.live.run(self.live.counts())
                if after == before or not 400 <= response.status_code < 500:
                    before = after
                    continue
                # Something changed: the refused request, or a consumer still at work? Settle and
                # send it once more; a partial write shows again.
                before = self._quiet()
                response = rejected.case.call(
                    base_url=self.live.base_url, session=session, headers=rejected.headers, timeout=30
                )
                after = self.live.run(self.live.counts())
                if after != before and 400 <= response.status_code < 500:
                    changed = {name: (before[name], after[name]) for name in after if after[name] != before[name]}
                    report.add(
                        Finding(
                            label,
                            "Partial write: a rejected request changed the service's tables",
                            response.status_code,
                            f"row counts (before, after): {changed}; answer {response.text[:300]}",
                            rejected.case.as_curl_command(headers={k: "…" for k in rejected.headers}),
                        )
                    )
                before = after
