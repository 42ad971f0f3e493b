"""deploy/logging/fluent-bit.yaml reads the lines Mercato writes and sends them to Elasticsearch
and Graylog. Neither Debian, PyPI nor npm ships Fluent Bit, so its own `--dry-run` check runs
only where a fluent-bit binary is installed; everywhere, the configuration is parsed and the
path of a real line through its parser and outputs is checked here."""

import json
import logging
import os
import re
import shutil
import subprocess
from datetime import datetime
from pathlib import Path

import pytest
import yaml

from common.observability.logging import StructuredFormatter

ROOT = Path(__file__).resolve().parents[2]
CONFIG = ROOT / "deploy" / "logging" / "fluent-bit.yaml"
DOCS = ROOT / "docs" / "observability.md"
ENVIRONMENT = {
    "MERCATO_LOG_FILES": str(ROOT / ".mercato" / "logs" / "*.log"),
    "FLUENT_BIT_STATE_DIR": "/tmp",
    "ELASTICSEARCH_HOST": "127.0.0.1",
    "ELASTICSEARCH_PORT": "9200",
    "GRAYLOG_HOST": "127.0.0.1",
    "GRAYLOG_GELF_PORT": "12201",
}


@pytest.fixture(scope="module")
def config() -> dict:
    return yaml.safe_load(CONFIG.read_text())


def one_of(plugins: list[dict], name: str) -> dict:
    (plugin,) = [plugin for plugin in plugins if plugin["name"] == name]
    return plugin


def a_rendered_line() -> dict:
    """A line exactly as a service writes it, parsed as Fluent Bit's json parser does."""
    record = logging.LogRecord("django.request", logging.ERROR, "", 1, "Internal error", (), None)
    return json.loads(StructuredFormatter(format="json").format(record))


def test_the_sections_are_those_of_fluent_bits_yaml_format(config):
    assert set(config) <= {"env", "includes", "service", "parsers", "pipeline", "plugins"}
    assert set(config["pipeline"]) == {"inputs", "filters", "outputs"}


def test_the_parser_reads_a_rendered_line_and_its_timestamp(config):
    parser = one_of(config["parsers"], "mercato_json")
    line = a_rendered_line()

    assert parser["format"] == "json"
    # Fluent Bit's %L is the fraction of a second, Python's %f.
    python_format = parser["time_format"].replace("%L", "%f")
    assert datetime.strptime(line[parser["time_key"]], python_format)


def test_the_tail_input_feeds_the_parser_filter_and_both_outputs(config):
    tail = one_of(config["pipeline"]["inputs"], "tail")
    parsing = one_of(config["pipeline"]["filters"], "parser")
    parser_names = {parser["name"] for parser in config["parsers"]}

    assert parsing["key_name"] == "log", "tail puts each line under `log`"
    assert parsing["parser"] in parser_names
    for plugin in [*config["pipeline"]["filters"], *config["pipeline"]["outputs"]]:
        assert plugin["match"] == tail["tag"], plugin
    assert {output["name"] for output in config["pipeline"]["outputs"]} == {"es", "gelf"}


def test_graylogs_short_message_and_host_are_fields_every_line_has(config):
    gelf = one_of(config["pipeline"]["outputs"], "gelf")
    line = a_rendered_line()

    assert gelf["gelf_short_message_key"] in line
    assert gelf["gelf_host_key"] in line


def test_every_variable_the_configuration_reads_is_documented(config):
    variables = set(re.findall(r"\$\{(\w+)\}", CONFIG.read_text()))
    logs_section = DOCS.read_text().split("## Logs", 1)[1]

    assert variables == set(ENVIRONMENT)
    assert [name for name in variables if name not in logs_section] == []


def test_fluent_bit_accepts_the_configuration(tmp_path):
    # Its own packages install to /opt/fluent-bit/bin.
    fluent_bit = shutil.which("fluent-bit", path=f"{os.environ['PATH']}:/opt/fluent-bit/bin")
    if fluent_bit is None:
        pytest.skip("fluent-bit is not installed: no Debian, PyPI or npm package ships it")
    checked = subprocess.run(
        [fluent_bit, "--dry-run", "-c", str(CONFIG)],
        env={**os.environ, **ENVIRONMENT, "FLUENT_BIT_STATE_DIR": str(tmp_path)},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert checked.returncode == 0, checked.stdout + checked.stderr
