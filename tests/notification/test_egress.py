"""The webhook sender on its own, with an injected resolver: a name is checked by what it
resolves to at delivery, the connection goes to the address checked (with the name still in
Host, SNI and certificate verification), nothing is sent to an address refused, and a redirect
is an answer, never followed."""

from __future__ import annotations

import asyncio
import datetime as dt
import ssl
from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from awasi_cli.testing import free_port
from awasi_notification.adapters.egress import AddressPolicy, PinnedTransport, RefusedAddress, vetted_addresses
from awasi_notification.adapters.senders import DeliveryError, WebhookSender
from awasi_notification.settings import NotificationSettings

NAME = "webhook.kpu-blitar.example.go.id"


class FakeDns:
    """Answers from a table, and counts the questions; ``then`` answers every later question
    (a name re-pointed between a check and a second look-up: DNS rebinding)."""

    def __init__(self, answers: dict[str, list[str]], then: dict[str, list[str]] | None = None) -> None:
        self.answers = answers
        self.then = then or {}
        self.asked: list[str] = []

    async def __call__(self, host: str, port: int) -> Sequence[str]:
        self.asked.append(host)
        table = self.then if len(self.asked) > 1 and host in self.then else self.answers
        if host not in table:
            raise OSError(-2, "Name or service not known")
        return table[host]


@dataclass
class Listener:
    """A server on 127.0.0.1 (TLS when given a context) that counts connections and records
    each request's head, the SNI name it was asked for, and answers with ``status``."""

    ssl_context: ssl.SSLContext | None = None
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    port: int = field(default_factory=free_port)
    connections: int = 0
    requests: list[str] = field(default_factory=list)
    sni: list[str | None] = field(default_factory=list)
    _server: asyncio.Server | None = None

    async def start(self) -> None:
        if self.ssl_context is not None:
            self.ssl_context.sni_callback = lambda sock, name, ctx: self.sni.append(name)  # type: ignore[assignment,misc]
        self._server = await asyncio.start_server(self._handle, "127.0.0.1", self.port, ssl=self.ssl_context)

    async def stop(self) -> None:
        if self._server is not None:
            self._server.close()
            await self._server.wait_closed()

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.connections += 1
        try:
            while True:
                head = (await reader.readuntil(b"\r\n\r\n")).decode("latin-1")
                length = next(
                    (
                        int(line.split(":", 1)[1])
                        for line in head.split("\r\n")
                        if line.lower().startswith("content-length:")
                    ),
                    0,
                )
                await reader.readexactly(length)
                self.requests.append(head)
                extra = "".join(f"{k}: {v}\r\n" for k, v in self.headers.items())
                writer.write(f"HTTP/1.1 {self.status} X\r\ncontent-length: 2\r\n{extra}\r\nok".encode())
                await writer.drain()
        except (asyncio.IncompleteReadError, ConnectionError, ssl.SSLError):
            pass
        finally:
            writer.close()


@dataclass
class Pki:
    client: ssl.SSLContext
    """Trusts only the test CA."""
    server: ssl.SSLContext
    """Presents a certificate for NAME only."""


@pytest.fixture(scope="module")
def pki(tmp_path_factory: pytest.TempPathFactory) -> Pki:
    folder: Path = tmp_path_factory.mktemp("pki")
    now = dt.datetime.now(dt.UTC)
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Awasi test CA")])
    ca = (
        x509.CertificateBuilder()
        .subject_name(ca_name)
        .issuer_name(ca_name)
        .public_key(ca_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(hours=1))
        .not_valid_after(now + dt.timedelta(days=1))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=False,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=True,
                crl_sign=True,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key()), critical=False)
        .sign(ca_key, hashes.SHA256())
    )
    key = ec.generate_private_key(ec.SECP256R1())
    leaf = (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, NAME)]))
        .issuer_name(ca_name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(hours=1))
        .not_valid_after(now + dt.timedelta(days=1))
        .add_extension(x509.SubjectAlternativeName([x509.DNSName(NAME)]), critical=False)
        .add_extension(x509.ExtendedKeyUsage([x509.oid.ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), critical=False)
        .sign(ca_key, hashes.SHA256())
    )
    (folder / "ca.pem").write_bytes(ca.public_bytes(serialization.Encoding.PEM))
    (folder / "leaf.pem").write_bytes(leaf.public_bytes(serialization.Encoding.PEM))
    (folder / "leaf.key").write_bytes(
        key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    )
    client = ssl.create_default_context(cafile=str(folder / "ca.pem"))
    server = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    server.load_cert_chain(str(folder / "leaf.pem"), str(folder / "leaf.key"))
    return Pki(client, server)


@pytest.fixture
async def tls_listener(pki: Pki) -> AsyncIterator[Listener]:
    listener = Listener(pki.server)
    await listener.start()
    yield listener
    await listener.stop()


@pytest.fixture
async def listener() -> AsyncIterator[Listener]:
    server = Listener()
    await server.start()
    yield server
    await server.stop()


def settings(*, loopback: bool) -> NotificationSettings:
    return NotificationSettings(webhook_allow_http_loopback=loopback, webhook_timeout_seconds=5)


async def test_a_public_looking_name_that_resolves_to_loopback_is_refused_and_not_connected(
    listener: Listener,
) -> None:
    dns = FakeDns({NAME: ["127.0.0.1"]})
    sender = WebhookSender(settings(loopback=False), resolver=dns)
    try:
        with pytest.raises(DeliveryError) as error:
            await sender.post(f"https://{NAME}:{listener.port}/hook", b"{}", {})
    finally:
        await sender.close()
    assert error.value.permanent  # dead-lettered at once, as an internal address always was
    assert "jaringan internal 127.0.0.1" in str(error.value) and "loopback" in str(error.value)
    assert dns.asked == [NAME]
    await asyncio.sleep(0.05)
    assert listener.connections == 0


@pytest.mark.parametrize(
    "answer",
    [
        ["8.8.8.8", "10.0.0.7"],  # one internal answer among public ones refuses the name
        ["169.254.169.254"],
        ["::ffff:127.0.0.1"],
        ["fe80::1%eth0"],
        ["100.64.0.9"],
        ["224.0.0.251"],
    ],
)
async def test_any_non_public_answer_refuses_the_name(answer: list[str]) -> None:
    with pytest.raises(RefusedAddress):
        await vetted_addresses(NAME, 443, AddressPolicy(), FakeDns({NAME: answer}), timeout=1)


async def test_allowed_networks_and_the_loopback_opt_in_open_only_themselves() -> None:
    policy = AddressPolicy(allow_loopback=True, allowed_networks=("10.20.0.0/16",))
    assert await vetted_addresses(NAME, 443, policy, FakeDns({NAME: ["10.20.1.2", "127.0.0.1"]}), 1) == [
        "10.20.1.2",
        "127.0.0.1",
    ]
    for answer in (["10.21.0.1"], ["169.254.169.254"], ["192.168.1.1"]):
        with pytest.raises(RefusedAddress):
            await vetted_addresses(NAME, 443, policy, FakeDns({NAME: answer}), 1)


async def test_the_connection_goes_to_the_checked_address_with_the_name_in_host_sni_and_certificate(
    tls_listener: Listener, pki: Pki
) -> None:
    # The name is known to nobody but the injected resolver: reaching the listener at all means
    # the socket went to the address that resolver gave. Its later answers (re-pointed into the
    # network) are never asked for.
    dns = FakeDns({NAME: ["127.0.0.1"]}, then={NAME: ["10.0.0.1"]})
    sender = WebhookSender(settings(loopback=True), resolver=dns, verify=pki.client)
    try:
        first = await sender.post(f"https://{NAME}:{tls_listener.port}/hook", b'{"a":1}', {"webhook-id": "d-1"})
        second = await sender.post(f"https://{NAME}:{tls_listener.port}/hook", b'{"a":2}', {"webhook-id": "d-2"})
    finally:
        await sender.close()
    assert (first.status, second.status) == (200, 200)
    assert dns.asked == [NAME]  # one look-up, one connection, kept alive for the second delivery
    assert tls_listener.connections == 1 and tls_listener.sni == [NAME]
    assert all(f"host: {NAME}:{tls_listener.port}" in head.lower() for head in tls_listener.requests)
    assert tls_listener.requests[0].startswith("POST /hook HTTP/1.1")


async def test_certificate_verification_still_holds_for_a_name_pinned_to_an_address(
    tls_listener: Listener, pki: Pki
) -> None:
    other = "kpu-lain.example.go.id"  # resolves to the same listener, whose certificate is not for it
    sender = WebhookSender(settings(loopback=True), resolver=FakeDns({other: ["127.0.0.1"]}), verify=pki.client)
    try:
        with pytest.raises(DeliveryError) as error:
            await sender.post(f"https://{other}:{tls_listener.port}/hook", b"{}", {})
    finally:
        await sender.close()
    assert not error.value.permanent and "CERTIFICATE_VERIFY_FAILED" in str(error.value)
    assert tls_listener.requests == []


async def test_a_redirect_is_an_answer_never_followed(tls_listener: Listener, listener: Listener, pki: Pki) -> None:
    tls_listener.status = 307
    tls_listener.headers = {"location": f"http://127.0.0.1:{listener.port}/internal"}
    sender = WebhookSender(settings(loopback=True), resolver=FakeDns({NAME: ["127.0.0.1"]}), verify=pki.client)
    try:
        response = await sender.post(f"https://{NAME}:{tls_listener.port}/hook", b"{}", {})
    finally:
        await sender.close()
    assert response.status == 307 and response.location == f"http://127.0.0.1:{listener.port}/internal"
    assert len(tls_listener.requests) == 1
    await asyncio.sleep(0.05)
    assert listener.connections == 0


async def test_a_url_stored_before_these_rules_is_held_to_them_at_delivery(listener: Listener) -> None:
    dns = FakeDns({})
    sender = WebhookSender(settings(loopback=False), resolver=dns)
    try:
        for url in (f"https://2130706433:{listener.port}/x", f"https://127.1:{listener.port}/x", "https://[::1]/x"):
            with pytest.raises(DeliveryError) as error:
                await sender.post(url, b"{}", {})
            assert error.value.permanent and "loopback" in str(error.value)
    finally:
        await sender.close()
    assert dns.asked == [] and listener.connections == 0


async def test_a_name_that_does_not_resolve_is_retried_later() -> None:
    sender = WebhookSender(settings(loopback=False), resolver=FakeDns({}))
    try:
        with pytest.raises(DeliveryError) as error:
            await sender.post(f"https://{NAME}/hook", b"{}", {})
    finally:
        await sender.close()
    assert not error.value.permanent and "tidak dapat di-resolve" in str(error.value)


def test_transports_share_one_context_that_verifies_certificates() -> None:
    # Built once per process (~30 ms of CPU each; every notification start built two).
    first, second = PinnedTransport(AddressPolicy()), PinnedTransport(AddressPolicy())
    context = first._pool._ssl_context
    assert context is second._pool._ssl_context
    assert context.verify_mode == ssl.CERT_REQUIRED and context.check_hostname
    assert context.get_ca_certs() or context.cert_store_stats()["x509_ca"] > 0
    # A context of the caller's own (the tests' authority) is used as given, and only it.
    own = ssl.create_default_context()
    assert PinnedTransport(AddressPolicy(), verify=own)._pool._ssl_context is own
    unverified = PinnedTransport(AddressPolicy(), verify=False)._pool._ssl_context
    assert unverified is not context and unverified.verify_mode == ssl.CERT_NONE
