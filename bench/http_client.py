"""A small HTTP/1.1 client on asyncio streams, with keep-alive connections.

The load generator shares the machine with everything it measures, so it has to be cheap:
httpx costs several times more CPU per request than reading and writing the bytes here.
Only what the bench needs: POST/GET with a body, Content-Length or chunked responses, and
only to 127.0.0.1.
"""

from __future__ import annotations

import asyncio
import contextlib
from dataclasses import dataclass


class HttpError(Exception):
    pass


@dataclass
class Response:
    status: int
    body: bytes


class Connection:
    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.reader = reader
        self.writer = writer

    @classmethod
    async def open(cls, port: int) -> Connection:
        reader, writer = await asyncio.open_connection("127.0.0.1", port, limit=1 << 22)
        return cls(reader, writer)

    async def request(self, method: str, path: str, body: bytes = b"", headers: bytes = b"") -> Response:
        head = (
            f"{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: {len(body)}\r\n"
            "Content-Type: application/json\r\n"
        ).encode()
        self.writer.write(head + headers + b"\r\n" + body)
        status_line = await self.reader.readuntil(b"\r\n")
        parts = status_line.split(b" ", 2)
        if len(parts) < 2 or not parts[0].startswith(b"HTTP/1."):
            raise HttpError(f"bad status line {status_line!r}")
        status = int(parts[1])
        length = -1
        chunked = False
        close = False
        while True:
            line = await self.reader.readuntil(b"\r\n")
            if line == b"\r\n":
                break
            name, _, value = line.partition(b":")
            lowered = name.strip().lower()
            if lowered == b"content-length":
                length = int(value.strip())
            elif lowered == b"transfer-encoding" and b"chunked" in value.lower():
                chunked = True
            elif lowered == b"connection" and b"close" in value.lower():
                close = True
        if chunked:
            content = bytearray()
            while True:
                size = int((await self.reader.readuntil(b"\r\n")).split(b";")[0], 16)
                if size == 0:
                    await self.reader.readuntil(b"\r\n")
                    break
                content += await self.reader.readexactly(size + 2)
                del content[-2:]
            data = bytes(content)
        elif length >= 0:
            data = await self.reader.readexactly(length)
        else:
            data = await self.reader.read()
            close = True
        if close:
            self.close()
        return Response(status, data)

    @property
    def closed(self) -> bool:
        return self.writer.is_closing()

    def close(self) -> None:
        with contextlib.suppress(Exception):
            self.writer.close()


class Pool:
    """At most ``size`` keep-alive connections to one port; a request waits for a free one."""

    def __init__(self, port: int, size: int) -> None:
        self.port = port
        self.size = size
        self._idle: asyncio.Queue[Connection] = asyncio.Queue()
        self._opened = 0
        self._lock = asyncio.Lock()

    async def _acquire(self) -> Connection:
        if self._idle.empty() and self._opened < self.size:
            self._opened += 1
            try:
                return await Connection.open(self.port)
            except Exception:
                self._opened -= 1
                raise
        return await self._idle.get()

    async def request(self, method: str, path: str, body: bytes = b"", headers: bytes = b"") -> Response:
        connection = await self._acquire()
        try:
            response = await connection.request(method, path, body, headers)
        except BaseException:
            connection.close()
            self._opened -= 1
            raise
        if connection.closed:
            self._opened -= 1
        else:
            self._idle.put_nowait(connection)
        return response

    def close(self) -> None:
        while not self._idle.empty():
            self._idle.get_nowait().close()
        self._opened = 0
