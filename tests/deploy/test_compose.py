"""docker-compose.yml for one host: valid Compose, and wired the way the services read their
settings. (No container engine runs here; `docker compose up` is for a host that has one.)"""

from __future__ import annotations

import re
from pathlib import Path

import yaml
from compose_spec import PyCompose

from awasi_common.settings import SERVICE_PORTS

ROOT = Path(__file__).resolve().parents[2]
COMPOSE = ROOT / "docker-compose.yml"


def compose() -> dict:
    return yaml.safe_load(COMPOSE.read_text())


def shared_env(env_file: str) -> dict[str, str]:
    lines = (ROOT / env_file).read_text().splitlines()
    return dict(line.split("=", 1) for line in lines if line and not line.startswith("#"))


def test_compose_file_is_valid_against_the_compose_spec() -> None:
    parsed = PyCompose.from_yaml(COMPOSE.read_text())
    assert set(parsed.service_names()) == {
        "kafka",
        "postgres",
        "otel-collector",
        "jaeger",
        "keycloak",
        "console",
        *SERVICE_PORTS,
    }


def test_each_service_has_its_image_database_and_broker() -> None:
    services = compose()["services"]
    assert services["kafka"]["image"].startswith("apache/kafka:")
    assert services["kafka"]["environment"]["KAFKA_PROCESS_ROLES"] == "broker,controller"  # KRaft
    init = (ROOT / "deploy/compose/postgres-init.sql").read_text()
    for name, port in SERVICE_PORTS.items():
        service = services[name]
        dockerfile = ROOT / service["build"]["dockerfile"]
        assert dockerfile.exists(), dockerfile
        text = dockerfile.read_text()
        assert f'CMD ["python", "-m", "awasi_{name}"]' in text
        assert f"--package awasi-{name}" in text and f"EXPOSE {port}" in text
        env = {**shared_env(service["env_file"]), **service["environment"]}
        assert env["AWASI_KAFKA_BOOTSTRAP"] == "kafka:9092"
        assert env["AWASI_RATE_LIMIT_KEY"].startswith("${AWASI_RATE_LIMIT_KEY:?")  # no default secret
        assert env["AWASI_TOKEN_ISSUER"] == "${AWASI_TOKEN_ISSUER:-http://identity:8105}"  # its JWKS, no secret
        assert env["AWASI_ENV"] == "production"  # development keys and tokens refused
        if name in ("reporting", "notification"):
            assert env["AWASI_CONTACT_KEY"].startswith("${AWASI_CONTACT_KEY:?")
        if name == "identity":  # seals the token signing keys; the services fetch its JWKS at the issuer
            assert env["AWASI_IDENTITY_KEY"].startswith("${AWASI_IDENTITY_KEY:?")
            assert env["AWASI_IDENTITY_ISSUER"].endswith("http://identity:8105}")
        if name in ("participation", "reporting"):  # both ends of a Pojok reporter's sealed identity
            assert env["AWASI_POJOK_IDENTITY_KEY"].startswith("${AWASI_POJOK_IDENTITY_KEY:?")
        else:
            assert "AWASI_POJOK_IDENTITY_KEY" not in env
        assert env["AWASI_KAFKA_IDEMPOTENCE"] == "true"  # Apache Kafka accepts the idempotent producer
        url = env[f"AWASI_{name.upper()}_DATABASE_URL"]
        assert re.search(rf"@postgres:5432/awasi_{name}$", url), url
        assert f"CREATE DATABASE awasi_{name};" in init
        assert env["OTEL_EXPORTER_OTLP_ENDPOINT"].startswith("http://otel-collector:")
        assert service["depends_on"]["kafka"]["condition"] == "service_healthy"
        assert service["ports"] == [f"{port}:{port}"]


def test_collector_sends_traces_to_jaeger() -> None:
    config = yaml.safe_load((ROOT / "deploy/compose/otel-collector.yaml").read_text())
    assert config["service"]["pipelines"]["traces"]["exporters"] == ["otlp/jaeger"]
    assert config["exporters"]["otlp/jaeger"]["endpoint"] == "jaeger:4317"
    assert compose()["services"]["jaeger"]["environment"]["COLLECTOR_OTLP_ENABLED"] == "true"
