import socket

from tests.conftest import read_jsonl, run


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_preflight_fails_fast_with_a_clear_message_when_there_is_no_route():
    result = run("-m", "newscrawl", "preflight", f"http://127.0.0.1:{_closed_port()}", "--timeout", "2")
    assert result.returncode == 1
    assert "no route to http://127.0.0.1:" in result.stderr and "make demo" in result.stderr
    assert "Traceback" not in result.stderr


def test_preflight_passes_when_the_host_answers():
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen()
        result = run("-m", "newscrawl", "preflight", f"http://127.0.0.1:{server.getsockname()[1]}")
    assert result.returncode == 0, result.stderr


def test_demo_crawls_the_bundled_mirror_and_stops_it(tmp_path):
    out = tmp_path / "demo.jsonl"
    result = run("-m", "newscrawl", "demo", "--output", str(out), cwd=tmp_path, timeout=180)
    assert result.returncode == 0, result.stderr[-2000:]
    assert "mirror of" in result.stdout and "127.0.0.1" in result.stdout
    assert len(read_jsonl(out)) == 16
    [quarantine] = (tmp_path / "demo-output" / "asriran").glob("*/*.quarantine.jsonl")
    assert len(read_jsonl(quarantine)) == 3
    [run_file] = [p for p in (tmp_path / "demo-output" / "asriran").glob("*/*.jsonl")
                  if not p.name.endswith(".quarantine.jsonl")]
    assert len(read_jsonl(run_file)) == 16
    # the authored fixture pages never reach what dataset build, board and runs read
    assert not (tmp_path / "output").exists()
