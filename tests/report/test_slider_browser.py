"""The temperature slider and the explorer of notebooks/04_synthesis.ipynb, used the way a person uses them.

A tiny model is trained into a temporary run folder, a copy of the notebook points its
``parameters`` cell at it, JupyterLab serves that copy on 127.0.0.1, and headless Chromium
(Debian's /usr/bin/chromium, driven by Playwright, which downloads no browser) opens it,
runs all cells, then moves the slider with the keyboard and the mouse, types a temperature
into its readout and two priming texts into the prime box. After each step the text under
the widgets must become exactly what ``sample.generate`` writes with the same model and
settings, all 500 characters of it. In the explorer below it, the test moves the unit slider,
types a passage and selects a character: the five guesses shown must be those that
``guesses.read`` computes with the same model and text. Only the widgets (descriptions, ranges,
defaults) and what they show are relied on, never the code of the cell that builds them.
"""

import contextlib
import json
import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import nbformat
import numpy as np
import pytest

from rnn_lib.evaluation import guesses
from rnn_lib.nets import sample
from rnn_lib.report import explorer_html
from rnn_lib.text.corpus import ROOT, encode
from rnn_lib.training import loop

pytestmark = pytest.mark.browser  # make test-fast leaves it out

CHROMIUM = Path("/usr/bin/chromium")
if not CHROMIUM.exists():
    pytest.skip(
        f"{CHROMIUM} is missing: install it with `bash report/install-browser.sh` (make test does)",
        allow_module_level=True,
    )
sync_api = pytest.importorskip(
    "playwright.sync_api", reason="the playwright package is missing: pip install -e '.[test]' (make test does)"
)

NOTEBOOK = ROOT / "notebooks" / "04_synthesis.ipynb"
LIBRARY_PARENT = ROOT  # where the kernel finds this test's rnn_lib
LENGTH = 500  # characters the slider's cell writes
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-proxy-server",
    "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1",
]  # no host but this one
KERNEL_TIMEOUT = 120_000  # ms: start the kernel and run every cell, on a slow, busy machine
STEP_TIMEOUT = 60_000  # ms: one new passage after a change
KERNEL_READY = """() => {
    const toolbar = document.querySelector('.jp-NotebookPanel-toolbar');
    const name = toolbar && toolbar.querySelector('.jp-KernelName');
    const status = toolbar && toolbar.querySelector('.jp-Notebook-ExecutionIndicator');
    return Boolean(name && status) && !['', 'No Kernel'].includes(name.textContent.trim())
        && status.dataset.status === 'idle';
}"""


@pytest.fixture
def run(small_corpus, tmp_path):
    """A tiny model trained for 300 updates; its best.npz is what the notebook loads."""
    return loop.train(
        corpus=str(small_corpus),
        run_dir=tmp_path / "run",
        steps=300,
        m=16,
        seq_length=10,
        sample_length=0,
        engine="numpy",
        progress=False,
    )


@pytest.fixture
def notebook_dir(run, small_corpus, tmp_path):
    """A folder holding a copy of 04_synthesis whose parameters cell points at ``run``."""
    folder = tmp_path / "notebooks"
    folder.mkdir()
    nb = nbformat.read(NOTEBOOK, as_version=4)
    parameters = [cell for cell in nb.cells if "parameters" in cell.metadata.get("tags", [])]
    assert len(parameters) == 1, "04_synthesis must have one cell tagged `parameters`"
    parameters[0].source += f"\ncorpus = {str(small_corpus)!r}\nrun_dir = {str(run.run_dir)!r}\n"
    nbformat.write(nb, folder / NOTEBOOK.name)
    return folder


@pytest.fixture
def jupyter(notebook_dir, tmp_path):
    """JupyterLab on 127.0.0.1 serving ``notebook_dir``, with its own settings and runtime folders.

    Yields the address of the notebook; afterwards its kernels are shut down and its process
    group is ended.
    """
    home = tmp_path / "jupyter"
    env = {
        **os.environ,
        "JUPYTER_RUNTIME_DIR": str(home / "runtime"),
        "JUPYTER_CONFIG_DIR": str(home / "config"),
        "JUPYTER_DATA_DIR": str(home / "data"),
        "IPYTHONDIR": str(home / "ipython"),
        "JUPYTERLAB_SETTINGS_DIR": str(home / "settings"),
        "JUPYTERLAB_WORKSPACES_DIR": str(home / "workspaces"),
        "PYTHONPATH": os.pathsep.join([str(LIBRARY_PARENT), *filter(None, [os.environ.get("PYTHONPATH")])]),
    }
    # no "Would you like to receive official Jupyter news?" toast over the page, no request for news
    notification = home / "settings" / "@jupyterlab" / "apputils-extension" / "notification.jupyterlab-settings"
    notification.parent.mkdir(parents=True)
    notification.write_text(json.dumps({"fetchNews": "false", "checkForUpdates": False}))
    token, port = secrets.token_hex(16), _free_port()
    command = [
        sys.executable,
        "-m",
        "jupyterlab",
        "--no-browser",
        "--allow-root",
        "--ip=127.0.0.1",
        f"--port={port}",
        "--port-retries=0",
        f"--IdentityProvider.token={token}",
        f"--ServerApp.root_dir={notebook_dir}",
    ]
    base = f"http://127.0.0.1:{port}"
    with open(home / "server.log", "wb") as log:
        server = subprocess.Popen(
            command,
            cwd=notebook_dir,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
        )  # a process group of its own
        try:
            _wait_until_serving(server, base, token, home / "server.log")
            yield f"{base}/lab/tree/{NOTEBOOK.name}?token={token}"
        finally:
            _stop(server, base, token)


@pytest.fixture
def page(jupyter, tmp_path):
    """A page of headless Chromium with a fresh profile; a screenshot is kept if the test fails."""
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, timeout=KERNEL_TIMEOUT)
        try:
            context = browser.new_context(viewport={"width": 1400, "height": 1000})
            context.set_default_timeout(STEP_TIMEOUT)
            context.set_default_navigation_timeout(KERNEL_TIMEOUT)
            yield context.new_page()
        finally:
            browser.close()


def test_temperature_slider_in_jupyterlab(run, jupyter, page, tmp_path):
    expect = sync_api.expect
    params, vocab = run.state.best, run.vocab  # exactly the parameters and vocabulary of run/best.npz

    def written(temperature, prime="", seed=0):
        """What the slider's cell prints for these settings."""
        text = prime + sample.generate(
            params, vocab, LENGTH, np.random.default_rng(seed), prime=prime or "\n", temperature=temperature
        )
        assert len(text) == len(prime) + LENGTH
        return text + "\n"  # print's

    try:
        _run_all_cells(page, jupyter)
        temperature_label = page.locator("label", has_text=re.compile("^temperature$"))
        cell = page.locator(".jp-Cell").filter(has=temperature_label)
        temperature = cell.locator(".widget-slider").filter(has=temperature_label)
        handle, readout = temperature.get_by_role("slider"), temperature.locator(".widget-readout")
        prime_box = cell.get_by_role("textbox", name="prime")
        output = cell.locator(".widget-output")
        shown = [None]

        def shows(text, step):
            assert text != shown[0], f"{step}: the settings should give another text than before"
            expect(output, f"{step}: the text under the widgets").to_have_text(text, timeout=STEP_TIMEOUT)
            assert output.text_content() == text, f"{step}: not exactly the text of sample.generate"
            shown[0] = text

        def readout_value():
            return float(readout.text_content())

        # 1. the defaults: temperature 0.8, no prime (a new line), seed 0
        expect(readout).to_have_text("0.80")
        expect(prime_box).to_have_value("")
        expect(
            cell.locator(".widget-slider")
            .filter(has=page.locator("label", has_text=re.compile("^seed$")))
            .locator(".widget-readout")
        ).to_have_text("0")
        shows(written(0.8), "initial output")

        # 2. the keyboard: three steps of 0.05 to the right
        handle.focus()
        for _ in range(3):
            page.keyboard.press("ArrowRight")
        expect(readout).to_have_text("0.95")
        shows(written(readout_value()), "after ArrowRight x3")

        # 3. the mouse: drag the handle to a quarter of the track
        handle.scroll_into_view_if_needed()
        track = temperature.locator(".noUi-target").bounding_box()
        grip = handle.bounding_box()
        y = grip["y"] + grip["height"] / 2
        page.mouse.move(grip["x"] + grip["width"] / 2, y)
        page.mouse.down()
        page.mouse.move(track["x"] + 0.25 * track["width"], y, steps=10)
        page.mouse.up()
        expect(readout).not_to_have_text("0.95")
        dragged = readout_value()
        assert 0.3 <= dragged <= 0.8, f"dragged to a quarter of 0.05..2.0, the readout says {dragged}"
        shows(written(dragged), f"after dragging to {dragged}")

        # 4. typing a value into the readout
        readout.click()
        page.keyboard.press("Control+a")
        page.keyboard.type("1.5")
        page.keyboard.press("Enter")
        expect(readout).to_have_text("1.50")
        shows(written(readout_value()), "after typing 1.5 into the readout")

        # 5. a priming text
        prime_box.click()
        page.keyboard.type("First")
        page.keyboard.press("Enter")
        shows(written(1.5, "First"), "after priming with 'First'")

        # 6. a character the model does not know: the one-line message of the ValueError
        prime_box.click()
        page.keyboard.press("Control+a")
        page.keyboard.type("€")
        page.keyboard.press("Enter")
        with pytest.raises(ValueError) as err:
            sample.generate(params, vocab, LENGTH, np.random.default_rng(0), prime="€", temperature=1.5)
        assert "€" in str(err.value) and "\n" not in str(err.value)
        shows(str(err.value) + "\n", "after priming with '€'")
    except Exception:
        _screenshot(page, tmp_path)
        raise


def test_explorer_in_jupyterlab(run, jupyter, page, tmp_path):
    """The explorer under the slider: move the unit slider, type a passage, select a character; the guesses shown,
    in the table and in the character's tooltip, are those of ``guesses.read`` for the same model and text."""
    expect = sync_api.expect
    vocab = run.vocab
    typed = "First Citizen:\nBefore we"

    def expected(text, position):
        reading = guesses.read(run.state.best, encode(text, vocab), "rnn")
        top = zip(reading.top_ids[position], reading.top_probs[position])
        return reading, [f"{explorer_html.shown(vocab[i])}{p:.3f}" for i, p in top]

    try:
        _run_all_cells(page, jupyter)
        unit_label = page.locator("label", has_text=re.compile("^unit$"))
        cell = page.locator(".jp-Cell").filter(has=unit_label)
        unit = cell.locator(".widget-slider").filter(has=unit_label)
        character_label = page.locator("label", has_text=re.compile("^character$"))
        character = cell.locator(".widget-slider").filter(has=character_label)
        rows = cell.locator(".rnn-guesses tr")
        selected = cell.locator(".rnn-selected")

        # 1. the unit slider, with the keyboard: unit 2, and the first character of the validation part
        expect(cell.locator(".rnn-passage")).to_be_visible()
        unit.get_by_role("slider").focus()
        for _ in range(2):
            page.keyboard.press("ArrowRight")
        expect(unit.locator(".widget-readout")).to_have_text("2")
        expect(selected).to_contain_text("unit 2")

        # 2. a typed passage, with a line break: committed when the box loses the focus
        box = cell.get_by_role("textbox", name="text")
        box.click()
        page.keyboard.press("Control+a")
        page.keyboard.type(typed)
        unit.get_by_role("slider").focus()
        expect(cell.locator(".rnn-passage span")).to_have_count(len(typed))

        # 3. select character 17 (the 'B' after the line break) with the character slider
        character.get_by_role("slider").focus()
        for _ in range(17):
            page.keyboard.press("ArrowRight")
        expect(character.locator(".widget-readout")).to_have_text("17")
        reading, shown = expected(typed, 17)
        expect(rows, "the five guesses after the selected character").to_have_text(shown)
        expect(selected).to_contain_text(f"loss {reading.loss[17]:.2f} nats")
        expect(selected).to_contain_text(f"unit 2 {reading.states[17, 2]:+.2f}")
        # hovering shows the same guesses, in the character's tooltip
        span = cell.locator(".rnn-passage span").nth(17)
        span.hover()
        assert explorer_html.guesses_line(reading, vocab, 17) in span.get_attribute("title")
    except Exception:
        _screenshot(page, tmp_path)
        raise


def _run_all_cells(page, jupyter):
    """Open the notebook, wait for its kernel, run every cell and wait until each has run."""
    page.goto(jupyter)
    # the kernel is up and idle: before that the Run menu is not yet the notebook's
    page.wait_for_function(KERNEL_READY, timeout=KERNEL_TIMEOUT)
    page.get_by_role("menuitem", name="Run", exact=True).click()
    page.get_by_role("menuitem", name="Run All Cells", exact=True).click()
    code_cells = sum(cell.cell_type == "code" for cell in nbformat.read(NOTEBOOK, as_version=4).cells)
    prompts = page.locator(".jp-Notebook .jp-CodeCell .jp-InputPrompt")
    sync_api.expect(prompts, "every code cell has run (one that fails stops Run All)").to_have_text(
        [re.compile(r"^\[\d+\]:$")] * code_cells, timeout=KERNEL_TIMEOUT
    )


def _screenshot(page, tmp_path):
    with contextlib.suppress(sync_api.Error):
        page.screenshot(path=tmp_path / "failure.png", full_page=True)
        print(f"screenshot of the page: {tmp_path / 'failure.png'}")


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _api(base, token, path, method="GET"):
    request = urllib.request.Request(f"{base}{path}", method=method, headers={"Authorization": f"token {token}"})
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.loads(response.read() or b"null")


def _wait_until_serving(server, base, token, log, timeout=120):
    deadline = time.monotonic() + timeout
    while True:
        if server.poll() is not None:
            pytest.fail(f"JupyterLab exited with {server.returncode}:\n{log.read_text(errors='replace')[-3000:]}")
        try:
            _api(base, token, "/api/status")
            return
        except OSError:  # not yet listening (URLError is an OSError)
            if time.monotonic() > deadline:
                pytest.fail(f"JupyterLab did not answer in {timeout} s:\n{log.read_text(errors='replace')[-3000:]}")
            time.sleep(0.2)


def _stop(server, base, token):
    """Shut the kernels down through the API (they run in process groups of their own), then end the server."""
    with contextlib.suppress(OSError, ValueError):
        for kernel in _api(base, token, "/api/kernels"):
            _api(base, token, f"/api/kernels/{kernel['id']}", method="DELETE")
    with contextlib.suppress(ProcessLookupError):
        os.killpg(server.pid, signal.SIGTERM)
    with contextlib.suppress(subprocess.TimeoutExpired):
        server.wait(20)
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(server.pid, signal.SIGKILL)  # whatever is left of its group
    server.wait()
