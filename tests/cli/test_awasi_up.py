"""`awasi up` as a newcomer runs it: separate processes, embedded broker, SQLite per service,
demo data, a data directory its owner alone may read, a clear answer to a second `awasi up`,
Ctrl-C stopping everything, and the next start (stopped by SIGTERM) finding it all again."""

from __future__ import annotations

import json
import os
import signal
import stat
import subprocess
import sys
import time
from pathlib import Path

import httpx
import psutil

from awasi_cli.broker import port_open
from awasi_cli.testing import free_port, process_env
from awasi_common.auth import TokenIssuer
from awasi_common.settings import DEV_JWT_SECRET, SERVICE_PORTS

AWASI = str(Path(sys.executable).parent / "awasi")


def wait_for_line(process: subprocess.Popen[str], needle: str, timeout: float) -> str:
    seen = []
    deadline = time.monotonic() + timeout
    assert process.stdout is not None
    os.set_blocking(process.stdout.fileno(), False)
    while time.monotonic() < deadline:
        line = process.stdout.readline()
        if line:
            seen.append(line)
            if needle in line:
                return "".join(seen)
        elif process.poll() is not None:
            break
        else:
            time.sleep(0.1)
    raise AssertionError(f"'{needle}' not printed within {timeout}s:\n{''.join(seen)}")


def loose_umask() -> None:
    """Run `awasi up` under the common 022 umask, whatever the test process has."""
    os.umask(0o022)


def loose_entries(root: Path) -> list[str]:
    """Entries under ``root`` (itself included) that its group or others may read, write or enter."""
    loose = []
    for path in [root, *root.rglob("*")]:
        mode = path.lstat().st_mode
        if not stat.S_ISLNK(mode) and mode & 0o077:
            loose.append(f"{path.relative_to(root.parent)} {stat.filemode(mode)}")
    return loose


def reminders_of(port: int, headers: dict[str, str], expected: int) -> list[object]:
    deadline = time.monotonic() + 60
    reminders: list[object] = []
    while len(reminders) < expected and time.monotonic() < deadline:
        reminders = httpx.get(f"http://127.0.0.1:{port}/pengingat", headers=headers).json()
        time.sleep(0.5)
    return reminders


def test_up_runs_the_platform_and_ctrl_c_stops_it(tmp_path: Path) -> None:
    ports = {name: free_port() for name in (*SERVICE_PORTS, "console")}  # console: the operator console
    broker_port = free_port()
    env = process_env()
    env.update({f"AWASI_{name.upper()}_PORT": str(port) for name, port in ports.items()})
    env.update(
        {
            "AWASI_DATA_DIR": str(tmp_path / "data"),
            "AWASI_BROKER_PORT": str(broker_port),
            "COLUMNS": "200",
        }
    )
    data = tmp_path / "data"
    (data / "logs").mkdir(parents=True)  # left by an earlier awasi up, under a 022 umask
    data.chmod(0o755)
    (data / "logs").chmod(0o755)
    (data / "logs" / "planning.log").write_text("earlier run\n")
    (data / "logs" / "planning.log").chmod(0o644)
    up = subprocess.Popen(
        [AWASI, "up"], env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, preexec_fn=loose_umask
    )
    try:
        output = wait_for_line(up, "Ctrl-C", timeout=150)
        assert "data contoh dimuat: 2 program, 4 kegiatan, 1 laporan" in output
        names = {p.name for p in data.rglob("*")}
        assert {"planning.db", "awasi-up.lock", "broker.log", "notification.log", "demo-loaded"} <= names, names
        assert loose_entries(data) == []  # while running: SQLite's WAL files, the lock, logs
        assert output.count("Mode pengembangan (AWASI_ENV=development)") == 1  # said once, at start
        for port in ports.values():
            assert f"http://127.0.0.1:{port}/docs" in output
            assert httpx.get(f"http://127.0.0.1:{port}/readyz").json()["status"] == "ok"
        assert (tmp_path / "data" / "planning.db").exists()  # SQLite per service

        token = TokenIssuer(DEV_JWT_SECRET).issue(unit="35.05", role="operator")
        headers = {"Authorization": f"Bearer {token}"}
        kegiatan = httpx.get(f"http://127.0.0.1:{ports['planning']}/kegiatan", headers=headers).json()
        assert len(kegiatan) == 4
        reminders = reminders_of(ports["notification"], headers, 4 * 3)
        assert len(reminders) == 4 * 3  # H-3, H-1 and realisasi for each demo kegiatan
        linked = httpx.get(f"http://127.0.0.1:{ports['participation']}/program-kegiatan", headers=headers).json()
        forum = [row for row in linked if row["program"] == "forum_warga"]
        assert forum and forum[0].get("program_id"), forum  # the demo Forum Warga kegiatan found its program
        # The demo accounts (one per role, printed in development): the operator signs in at identity
        # and planning takes identity's token, verified against its JWKS.
        accounts = {a["role"]: a for a in json.loads((data / "demo-akun.json").read_text())}
        assert set(accounts) == {"admin", "operator", "penanganan", "pengawas", "pimpinan", "viewer"}
        assert accounts["operator"]["sandi"] in output and "totp" in accounts["admin"]
        signin = {
            "grant_type": "password",
            "username": accounts["operator"]["email"],
            "password": accounts["operator"]["sandi"],
        }
        access = httpx.post(f"http://127.0.0.1:{ports['identity']}/token", data=signin).json()["access_token"]
        signed_in = httpx.get(
            f"http://127.0.0.1:{ports['planning']}/kegiatan", headers={"Authorization": f"Bearer {access}"}
        )
        assert signed_in.status_code == 200 and len(signed_in.json()) == 4, signed_in.text
        # `awasi masuk --demo admin` signs the admin in with its password and TOTP code.
        masuk = subprocess.run([AWASI, "masuk", "--demo", "admin"], env=env, capture_output=True, text=True, timeout=60)
        assert masuk.returncode == 0 and masuk.stdout.startswith("eyJ"), masuk.stdout + masuk.stderr
        ops = httpx.get(
            f"http://127.0.0.1:{ports['planning']}/ops/status",
            headers={"Authorization": f"Bearer {masuk.stdout.strip()}"},
        )
        assert ops.status_code == 200, ops.text

        second = subprocess.run([AWASI, "up"], env=env, capture_output=True, text=True, timeout=30)
        assert second.returncode == 1
        assert "sudah berjalan" in second.stdout

        # Operating by hand, as an operator would in another terminal.
        status = subprocess.run([AWASI, "status"], env=env, capture_output=True, text=True, timeout=60)
        assert status.returncode == 0, status.stdout + status.stderr
        rows = {line.split("│")[1].strip(): line for line in status.stdout.splitlines() if line.count("│") >= 7}
        assert set(rows) >= {"planning", "participation", "reporting", "notification"}, status.stdout
        assert all(" ok " in rows[name] for name in SERVICE_PORTS), status.stdout  # not the console
        topics = subprocess.run([AWASI, "topics"], env=env, capture_output=True, text=True, timeout=60)
        assert topics.returncode == 0 and "0 topik dibuat" in topics.stdout, topics.stdout + topics.stderr
        dead = subprocess.run(
            [AWASI, "dead-letters", "awasi.notification"], env=env, capture_output=True, text=True, timeout=60
        )
        assert dead.returncode == 0 and "Surat mati awasi.notification" in dead.stdout, dead.stdout + dead.stderr
    finally:
        up.send_signal(signal.SIGINT)
        up.wait(timeout=30)
    time.sleep(0.5)
    assert not any(port_open("127.0.0.1", port) for port in [*ports.values(), broker_port])

    # Started again: the new embedded broker has an empty log; the outboxes put their retained
    # events on it, and the consumers' inboxes drop what they handled before.
    again = subprocess.Popen([AWASI, "up"], env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        output = wait_for_line(again, "Ctrl-C", timeout=150)
        assert "data contoh dimuat" not in output  # demo data only on the first run
        assert len(httpx.get(f"http://127.0.0.1:{ports['planning']}/kegiatan", headers=headers).json()) == 4
        time.sleep(5)  # let the republished events arrive
        assert len(reminders_of(ports["notification"], headers, 4 * 3)) == 4 * 3
        children = psutil.Process(again.pid).children(recursive=True)
    finally:
        # SIGTERM (as a service manager stops it) stops everything, as Ctrl-C did.
        again.send_signal(signal.SIGTERM)
        again.wait(timeout=30)
    assert again.returncode == 0
    _, alive = psutil.wait_procs(children, timeout=25)
    assert not alive, f"still running after SIGTERM: {[p.pid for p in alive]}"
    assert not (data / "awasi-up.lock").exists()


def test_ctrl_c_while_starting_stops_what_was_started(tmp_path: Path) -> None:
    ports = {name: free_port() for name in (*SERVICE_PORTS, "console")}  # console: the operator console
    broker_port = free_port()
    env = process_env()
    env.update({f"AWASI_{name.upper()}_PORT": str(port) for name, port in ports.items()})
    env.update({"AWASI_DATA_DIR": str(tmp_path / "data"), "AWASI_BROKER_PORT": str(broker_port)})
    up = subprocess.Popen([AWASI, "up"], env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        wait_for_line(up, "layanan notification", timeout=60)  # every process started, none ready yet
    finally:
        up.send_signal(signal.SIGINT)
        up.wait(timeout=60)
    assert up.returncode != 0
    time.sleep(0.5)
    assert processes_with(f"AWASI_DATA_DIR={(tmp_path / 'data').resolve()}") == [], "services of this stack still run"
    assert not any(port_open("127.0.0.1", port) for port in [*ports.values(), broker_port])


def processes_with(variable: str) -> list[int]:
    """The processes whose environment holds ``variable`` (NAME=value)."""
    found = []
    for environ in Path("/proc").glob("[0-9]*/environ"):
        try:
            if variable.encode() in environ.read_bytes().split(b"\0"):
                found.append(int(environ.parent.name))
        except OSError:  # gone meanwhile, or not ours to read
            continue
    return found
