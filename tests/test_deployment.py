"""No Docker engine runs here, so check the compose file against the settings instead."""

from pathlib import Path

import yaml

from bot.config import Settings

ROOT = Path(__file__).resolve().parent.parent


def compose() -> dict:
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


def setting_names() -> set[str]:
    return {field.alias for field in Settings.model_fields.values() if field.alias}


def test_services_and_order() -> None:
    services = compose()["services"]
    assert set(services) == {"db", "migrate", "bot", "worker"}
    assert services["worker"]["command"] == ["worker"]
    assert services["worker"]["depends_on"]["migrate"]["condition"] == (
        "service_completed_successfully"
    )
    assert "healthcheck" in services["db"]
    assert services["db"]["volumes"][0].startswith("pgdata:")
    assert services["migrate"]["command"] == ["migrate"]
    assert services["migrate"]["depends_on"]["db"]["condition"] == "service_healthy"
    assert services["bot"]["depends_on"]["migrate"]["condition"] == (
        "service_completed_successfully"
    )


def test_environment_names_are_real_settings() -> None:
    services = compose()["services"]
    for name in ("migrate", "bot", "worker"):
        env = set(services[name]["environment"])
        assert env <= setting_names(), env - setting_names()
        assert {"BOT_TOKEN", "DATABASE_URL"} <= env
        assert {"DISPATCH_INTERVAL_SECONDS", "SEND_RATE", "OUTBOX_CLAIM_TIMEOUT_SECONDS"} <= env
    assert services["migrate"]["environment"]["DATABASE_URL"].startswith("postgresql+asyncpg://")


def test_dockerfile_compiles_catalogs_and_runs_the_cli() -> None:
    text = (ROOT / "Dockerfile").read_text()
    assert "compile_catalogs" in text
    assert '"python", "-m", "bot"' in text
