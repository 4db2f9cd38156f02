import io
import json

import pytest

from migmap.tagging.batch import parse_line, tag_file, tag_stream

GOOD = "A logistics company hires refugees in Germany and trains them as warehouse workers with a local NGO."


def _lines(*objs):
    return "\n".join(o if isinstance(o, str) else json.dumps(o) for o in objs) + "\n"


def test_one_output_line_per_input_in_order_and_bad_lines_reported(shipped_model, tmp_path):
    src = tmp_path / "in.jsonl"
    src.write_text(
        _lines(
            {"id": "a", "title": "Jobs", "text": GOOD},
            "{not json",
            {"id": "c", "title": "no text"},
            {"id": "d", "text": "   "},
            {"id": "e", "text": "Una empresa española contrata a personas refugiadas en Madrid y les ofrece formación durante dos años en la cocina."},
            {"id": "f", "text": "<html><head><script>var a = 1; track();</script><style>p{}</style></head><body></body></html>"},
            {"id": "g", "text": 42},
            "",
            {"id": "h", "text": "<p>A bank opens free accounts for <b>refugees</b> in Sweden.</p><script>x()</script>"},
        )
    )
    problems = []
    report = tag_file(src, tmp_path / "out.jsonl", shipped_model, chunk_size=3, on_problem=problems.append)
    out = [json.loads(line) for line in (tmp_path / "out.jsonl").read_text().splitlines()]
    assert [o["id"] for o in out] == ["a", None, "c", "d", "e", "f", "g", "h"]
    assert (report.read, report.tagged, report.skipped) == (8, 2, 6)
    assert "stages" in out[0] and "stages" in out[-1] and "SWE" in out[-1]["countries"]
    errors = {o["line"]: o["error"] for o in out if "error" in o}
    assert errors[2].startswith("not valid JSON")
    assert errors[3] == 'missing "text"'
    assert errors[4].startswith("empty text")
    assert "English" in errors[5]
    assert "HTML" in errors[6]
    assert "must be a string" in errors[7]
    assert problems[0] == f"{src}:2: {errors[2]}"
    assert len(problems) == 6


def test_parse_line_uses_line_number_as_default_id():
    iid, problem, text = parse_line(json.dumps({"text": GOOD}), 7)
    assert iid == 7 and problem is None and text == GOOD


def test_missing_input_and_overwrite(tmp_path, shipped_model):
    from migmap.tagging.model_io import TaggerError

    with pytest.raises(TaggerError, match="no such input file"):
        tag_file(tmp_path / "nope.jsonl", tmp_path / "o.jsonl", shipped_model)
    f = tmp_path / "same.jsonl"
    f.write_text(_lines({"text": GOOD}))
    with pytest.raises(TaggerError, match="must not overwrite"):
        tag_file(f, f, shipped_model)


def test_streams_in_chunks(shipped_model):
    src = io.StringIO(_lines(*({"id": i, "text": GOOD} for i in range(25))))
    seen = []
    out = io.StringIO()
    report = tag_stream(src, out, shipped_model, chunk_size=10, progress=seen.append)
    assert seen == [10, 20, 25] and report.tagged == 25
    assert [json.loads(x)["id"] for x in out.getvalue().splitlines()] == list(range(25))


@pytest.mark.slow
def test_dask_local_cluster_gives_the_same_output(shipped_model, tmp_path):
    texts = [GOOD, "A telecom company gives free SIM cards to refugees arriving in Poland.", "not json"]
    src = tmp_path / "in.jsonl"
    src.write_text(_lines(*[{"id": i, "text": t} if t != "not json" else t for i, t in enumerate(texts * 4)]))
    local = tag_file(src, tmp_path / "local.jsonl", shipped_model, chunk_size=2)
    dask = tag_file(src, tmp_path / "dask.jsonl", shipped_model, chunk_size=2, workers=2)
    assert (dask.read, dask.tagged, dask.skipped) == (local.read, local.tagged, local.skipped) == (12, 8, 4)
    assert (tmp_path / "dask.jsonl").read_text() == (tmp_path / "local.jsonl").read_text()


@pytest.mark.slow
def test_a_dask_cluster_of_separate_processes_tags_like_one_process(tmp_path):
    """The team set-up of docs/deployment.md: `dask scheduler`, two `dask worker` processes, `migmap tag --scheduler`."""
    import os
    import subprocess
    import sys
    import time
    from pathlib import Path

    from tests.serving import free_port

    dask = Path(sys.executable).with_name("dask")
    if not dask.exists():
        pytest.fail(f"{dask} is missing: dask[distributed] is in the test extras")
    port = free_port()
    address = f"tcp://127.0.0.1:{port}"
    env = dict(os.environ, DASK_DISTRIBUTED__WORKER__DAEMON="False")
    procs = [
        subprocess.Popen(
            [str(dask), "scheduler", "--host", "127.0.0.1", "--port", str(port), "--dashboard-address", ":0"],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
    ]
    try:
        time.sleep(1.5)
        procs += [
            subprocess.Popen(
                [str(dask), "worker", address, "--nworkers", "1", "--nthreads", "1", "--no-dashboard"],
                env=env,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.PIPE,
                text=True,
            )
            for _ in range(2)
        ]
        texts = [GOOD, "A telecom company gives free SIM cards to refugees arriving in Poland.", "not json"]
        src = tmp_path / "in.jsonl"
        src.write_text(_lines(*[{"id": i, "text": t} if t != "not json" else t for i, t in enumerate(texts * 4)]))

        def run(*args: str) -> subprocess.CompletedProcess:
            return subprocess.run([sys.executable, "-m", "migmap", "tag", "--input", str(src), *args], capture_output=True, text=True, timeout=300)

        local = run("--output", str(tmp_path / "local.jsonl"))
        assert local.returncode == 0, local.stderr
        deadline = time.time() + 60
        from distributed import Client

        with Client(address, timeout=30) as client:  # wait until both workers have joined
            while len(client.scheduler_info()["workers"]) < 2:
                assert time.time() < deadline, "the Dask workers did not join the scheduler"
                time.sleep(0.5)
        on_cluster = run("--output", str(tmp_path / "cluster.jsonl"), "--scheduler", address)
        assert on_cluster.returncode == 0, on_cluster.stderr
        assert (tmp_path / "cluster.jsonl").read_text() == (tmp_path / "local.jsonl").read_text()
        assert len((tmp_path / "cluster.jsonl").read_text().splitlines()) == 12
    finally:
        for p in reversed(procs):
            p.terminate()
        for p in procs:
            try:
                p.wait(timeout=30)
            except subprocess.TimeoutExpired:
                p.kill()
