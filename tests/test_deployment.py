"""No Docker engine runs here, so the compose file, the proxy's Caddyfile and the README's
settings table are checked against the code instead: the services and their order, two
webhook replicas behind the proxy (TLS there, the secret token checked by the bot), one worker,
and every setting of bot/config.py in the README's table and in the bots' environment."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml

from bot.config import Settings
from bot.telegram.webhook import PATH

ROOT = Path(__file__).resolve().parent.parent
REPLICAS = ("bot-1", "bot-2")
BOTS = ("migrate", *REPLICAS, "worker")


def compose() -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    return loaded


def setting_names() -> set[str]:
    return {field.alias for field in Settings.model_fields.values() if field.alias}


def readme_settings() -> set[str]:
    """The first column of the README's settings table (`A` / `B` rows name two)."""
    text = (ROOT / "README.md").read_text()
    table = text.split("| Setting | Default | Meaning |", 1)[1].split("\n\n", 1)[0]
    rows = [line for line in table.splitlines()[2:] if line.startswith("|")]
    return {name for row in rows for name in re.findall(r"`([A-Z_]+)`", row.split("|")[1])}


def test_services_and_their_order() -> None:
    services = compose()["services"]
    assert set(services) == {"db", "migrate", *REPLICAS, "worker", "proxy"}
    assert "healthcheck" in services["db"]
    assert services["db"]["volumes"][0].startswith("pgdata:")
    assert services["migrate"]["command"] == ["migrate"]
    assert services["migrate"]["depends_on"]["db"]["condition"] == "service_healthy"
    for name in (*REPLICAS, "worker"):
        assert services[name]["depends_on"]["migrate"]["condition"] == (
            "service_completed_successfully"), name
    assert services["worker"]["command"] == ["worker"]


def test_two_webhook_replicas_reached_only_through_the_proxy() -> None:
    services = compose()["services"]
    for name in REPLICAS:
        replica = services[name]
        assert replica["command"] == ["run"]
        env = replica["environment"]
        assert env["RUN_MODE"] == "webhook"
        assert env["WEBHOOK_URL"].startswith("https://") and env["WEBHOOK_URL"].endswith(PATH)
        assert ":?" in env["WEBHOOK_SECRET"]  # required: compose refuses to start without it
        assert "ports" not in replica  # plain HTTP inside the network only
    proxy = services["proxy"]
    assert proxy["image"].startswith("caddy:")
    assert "443:443" in proxy["ports"]
    assert set(proxy["depends_on"]) == set(REPLICAS)
    assert "./deploy/Caddyfile:/etc/caddy/Caddyfile:ro" in proxy["volumes"]


def test_the_proxy_ends_tls_and_passes_the_webhook_path_to_both_replicas() -> None:
    caddyfile = (ROOT / "deploy" / "Caddyfile").read_text()
    code = "\n".join(line.split("#", 1)[0] for line in caddyfile.splitlines())
    # A site address (not http://...): Caddy serves it over HTTPS with its own certificate.
    assert re.search(r"^\{\$WEBHOOK_DOMAIN\} \{", code, re.MULTILINE)
    assert "http://" not in code
    handled = re.search(r"handle (\S+) \{\s*reverse_proxy ([^{]+)\{", code)
    assert handled is not None
    assert handled.group(1) == PATH
    port = compose()["services"]["bot-1"]["environment"]["LISTEN_PORT"]
    assert handled.group(2).split() == [f"{name}:{port}" for name in REPLICAS]
    # Nothing strips or sets the secret token header on the way: the bot checks it.
    assert "header_up" not in code


def test_every_setting_is_in_the_readme_table_and_nothing_else() -> None:
    assert readme_settings() == setting_names()


def test_every_setting_reaches_the_bots_and_nothing_else_does() -> None:
    services = compose()["services"]
    for name in BOTS:
        env = set(services[name]["environment"])
        assert env == setting_names(), (name, env ^ setting_names())
    assert services["migrate"]["environment"]["DATABASE_URL"].startswith(
        "postgresql+asyncpg://")


def test_dockerfile_compiles_catalogs_and_runs_the_cli() -> None:
    text = (ROOT / "Dockerfile").read_text()
    assert "compile_catalogs" in text
    assert '"python", "-m", "bot"' in text
