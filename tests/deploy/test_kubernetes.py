"""deploy/: kustomize overlays render, every resource validates against the Kubernetes
schemas, and the national overlay is sized for election day."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import kubernetes_validate
import pytest
import yaml

from awasi_common.settings import SERVICE_PORTS

ROOT = Path(__file__).resolve().parents[2]
K8S_VERSION = "1.30.0"


def render(overlay: str) -> list[dict]:
    kubectl = shutil.which("kubectl")
    assert kubectl, "kubectl (with its built-in kustomize) is needed to render deploy/"
    output = subprocess.run(
        [kubectl, "kustomize", str(ROOT / "deploy" / "overlays" / overlay)],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return [doc for doc in yaml.safe_load_all(output) if doc]


def by_kind(resources: list[dict], kind: str) -> dict[str, dict]:
    return {r["metadata"]["name"]: r for r in resources if r["kind"] == kind}


@pytest.mark.parametrize("overlay", ["national", "provinsi"])
def test_every_resource_is_valid_kubernetes(overlay: str) -> None:
    resources = render(overlay)
    assert resources
    for resource in resources:
        kubernetes_validate.validate(resource, K8S_VERSION, strict=True)


@pytest.mark.parametrize("overlay", ["national", "provinsi"])
def test_services_probe_health_and_read_secrets_from_the_cluster(overlay: str) -> None:
    resources = render(overlay)
    deployments = by_kind(resources, "Deployment")
    assert set(deployments) == {f"awasi-{name}" for name in (*SERVICE_PORTS, "console")}
    assert not by_kind(resources, "Secret"), "secrets come from the cluster, never from the repository"
    for name, port in SERVICE_PORTS.items():
        pod = deployments[f"awasi-{name}"]["spec"]["template"]["spec"]
        container = pod["containers"][0]
        assert container["readinessProbe"]["httpGet"]["path"] == "/readyz"
        assert container["livenessProbe"]["httpGet"]["path"] == "/healthz"
        assert container["ports"][0]["containerPort"] == port
        assert container["resources"]["requests"] and container["resources"]["limits"]
        assert pod["initContainers"][0]["command"] == ["python", "-m", f"awasi_{name}", "migrate"]
        secrets = {e["name"]: e["valueFrom"]["secretKeyRef"] for e in container["env"] if "valueFrom" in e}
        assert secrets[f"AWASI_{name.upper()}_DATABASE_URL"]["key"] == f"{name}-database-url"
        assert secrets["AWASI_RATE_LIMIT_KEY"]["key"] == "rate-limit-key"
        if name in ("reporting", "notification"):  # both ends of a reporter's sealed address
            assert secrets["AWASI_CONTACT_KEY"]["key"] == "contact-key"
        if name == "identity":  # seals the token signing keys; the issuer is its own Service
            assert secrets["AWASI_IDENTITY_KEY"]["key"] == "identity-key"
            values = {e["name"]: e.get("value") for e in container["env"]}
            assert values["AWASI_IDENTITY_ISSUER"] == "http://awasi-identity.awasi.svc"
            assert by_kind(resources, "Service")["awasi-identity"]["spec"]["ports"][0]["port"] == 80
        if name in ("participation", "reporting"):  # both ends of a Pojok reporter's sealed identity
            assert secrets["AWASI_POJOK_IDENTITY_KEY"]["key"] == "pojok-identity-key"
        else:
            assert "AWASI_POJOK_IDENTITY_KEY" not in secrets
    config = by_kind(resources, "ConfigMap")["awasi-platform"]["data"]
    assert config["AWASI_MIGRATE_ON_START"] == "false"
    assert config["AWASI_TOKEN_ISSUER"] == "http://awasi-identity.awasi.svc"  # identity's Service
    assert config["AWASI_ENV"] == "production"  # development keys and tokens refused
    for hpa in by_kind(resources, "HorizontalPodAutoscaler").values():
        assert hpa["spec"]["scaleTargetRef"]["name"] in deployments


def test_national_overlay_is_sized_for_election_day() -> None:
    resources = render("national")
    config = by_kind(resources, "ConfigMap")["awasi-platform"]["data"]
    partitions = int(config["AWASI_TOPIC_PARTITIONS"])
    assert partitions == 48 and config["AWASI_TOPIC_REPLICATION"] == "3"
    assert config["AWASI_KAFKA_BOOTSTRAP"]  # kept from the base by the merge patch
    hpas = by_kind(resources, "HorizontalPodAutoscaler")
    for name in ("reporting", "notification"):
        hpa = hpas[f"awasi-{name}"]["spec"]
        assert hpa["minReplicas"] >= 6
        assert hpa["maxReplicas"] <= partitions  # more consumers than partitions would idle
    assert hpas["awasi-planning"]["spec"]["minReplicas"] == 3
