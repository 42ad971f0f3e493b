"""The README's walkthroughs pasted as written, in order, into one `bash -e` beside the running
platform, as a newcomer would paste them into a shell: signing in, whoami, placing an order,
watching it reach CONFIRMED and a webhook arriving at a receiver on this machine. Only
MERCATO_BASE_PORT, which the walkthroughs read as `make run` does, points them at the suite's
platform; a failing step is shown with its output."""

import re
import subprocess
from pathlib import Path

import pytest

pytestmark = pytest.mark.e2e

ROOT = Path(__file__).resolve().parents[2]
WALKTHROUGH = re.compile(r"^```bash walkthrough\n(.*?)^```$", re.DOTALL | re.MULTILINE)
STEP = re.compile(r"^::walkthrough step (\d+)::$", re.MULTILINE)
# What each walkthrough, in the README's order, prints when it worked.
EXPECTED = (
    ('"email":"customer@mercato.local"', '"roles":["customer"]'),
    ("PENDING",),
    ("CONFIRMED",),
    ("order.confirmed", "signature verified"),
)
# Every wait in them is bounded (30 s of polling, the receiver's --timeout 60).
SCRIPT_TIMEOUT_SECONDS = 150


def walkthroughs() -> list[str]:
    return WALKTHROUGH.findall((ROOT / "README.md").read_text())


def steps_printed(output: str) -> dict[int, str]:
    """What each step printed, by its number, from the markers the script echoes between them."""
    parts = STEP.split(output)
    return {int(number): printed for number, printed in zip(parts[1::2], parts[2::2], strict=True)}


def test_the_walkthroughs_need_no_tool_the_readme_does_not_name_and_set_what_they_use():
    blocks = walkthroughs()
    text = "\n".join(blocks)

    assert len(blocks) == len(EXPECTED)
    assert not re.search(r"\b(jq|uuidgen)\b", text)
    assert re.search(r"^ACCESS=\$\(", text, re.MULTILINE)
    assert "webhook_listen" in text


def test_every_walkthrough_succeeds_pasted_into_bash_e(platform, tmp_path):
    blocks = walkthroughs()
    script = tmp_path / "walkthroughs.sh"
    script.write_text(
        "".join(f"echo '::walkthrough step {n}::'\n{block}" for n, block in enumerate(blocks, 1))
    )

    finished = subprocess.run(
        ["bash", "-e", str(script)],
        cwd=ROOT,
        env={**platform.environment, "MERCATO_BASE_PORT": str(platform.base_port)},
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        timeout=SCRIPT_TIMEOUT_SECONDS,
    )

    printed = steps_printed(finished.stdout)
    reached = max(printed, default=0)
    for number, (block, expected) in enumerate(zip(blocks, EXPECTED, strict=True), 1):
        output = printed.get(number, "")
        problem = step_problem(
            number,
            reached=reached,
            returncode=finished.returncode,
            output=output,
            expected=expected,
        )
        assert problem is None, (
            f"walkthrough {number} of {len(blocks)} {problem}\n"
            f"--- it reads:\n{block}--- it printed:\n{output}"
        )


def step_problem(
    number: int, *, reached: int, returncode: int, output: str, expected: tuple[str, ...]
) -> str | None:
    """What went wrong with step `number`, if anything: the last step reached is the one that
    failed when the script did."""
    if number > reached:
        return "never ran"
    if number == reached and returncode != 0:
        return f"failed: bash -e exited {returncode}"
    missing = [text for text in expected if text not in output]
    return f"printed none of {missing}" if missing else None
