"""Asking a local process over HTTP whether it answers, as start-ups and tests poll them.

One client for every ask: each new httpx client builds an SSL context (the CA bundle loaded,
~40 ms of CPU), and `awasi up` polling six services every 0.2 s spent two thirds of its own CPU
on that alone (py-spy: ``ssl.create_default_context``)."""

from __future__ import annotations

import functools

import httpx


@functools.cache
def _client() -> httpx.Client:
    return httpx.Client()


def answers(url: str, timeout: float = 2) -> bool:
    """Whether ``GET url`` answers 200 (False while nothing listens or it does not answer in time)."""
    try:
        return _client().get(url, timeout=timeout).status_code == 200
    except httpx.HTTPError:
        return False
