"""`make run PORT=…`: the links the site e-mails point at the port it serves on."""
import os
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _site_urls(tmp_path, **env):
    fake = tmp_path / "bin"
    fake.mkdir(parents=True)
    (fake / "flask").write_text(f'#!/bin/sh\necho "$SITE_URL" >> {tmp_path / "seen"}\n')
    (fake / "flask").chmod(0o755)
    clean = {k: v for k, v in os.environ.items() if k not in ("SITE_URL", "HOST", "PORT")}
    subprocess.run(["bash", "scripts/run-dev.sh"], cwd=ROOT, env={**clean, "BIN": str(fake), **env}, check=True,
                   timeout=30)
    return set((tmp_path / "seen").read_text().split())


def test_the_port_given_to_make_run_is_the_port_in_e_mailed_links(tmp_path):
    assert _site_urls(tmp_path, PORT="5201") == {"http://127.0.0.1:5201"}


def test_a_server_open_to_the_network_links_to_this_machine_and_a_set_site_url_wins(tmp_path):
    assert _site_urls(tmp_path / "a", HOST="0.0.0.0", PORT="5001") == {"http://127.0.0.1:5001"}
    assert _site_urls(tmp_path / "b", PORT="5001", SITE_URL="https://gems.example") == {"https://gems.example"}
