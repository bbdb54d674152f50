"""Background jobs of the page: one build at a time (a child process), then the thumbnails; progress to poll."""

from __future__ import annotations

import json
import os
import secrets
import subprocess
import tempfile
import threading
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

from generators.errors import ReportgenError


@dataclass
class Job:
    id: str
    kind: str
    state: str = "running"  # running → done | failed
    phase: str = "准备中"
    done: int = 0
    total: int = 0
    files: list[str] = field(default_factory=list)
    problems: list[dict] = field(default_factory=list)
    error: str = ""
    message: str = ""
    year: int | None = None
    started: float = field(default_factory=time.time)
    finished: float | None = None

    def public(self) -> dict:
        return asdict(self)


class Jobs:
    """Builds are serialised here (and by the build's own output lock across processes); renders never wait."""

    def __init__(self, service):
        self.service = service
        self.jobs: dict[str, Job] = {}
        self._lock = threading.Lock()
        self.writing = threading.Lock()  # held by a build and by any change to data/ from the page
        self._thumbs = threading.Lock()  # one thumbnail rendering at a time (they share build/web/thumbs/)
        self._tried: set[str] = set()  # files whose thumbnails were attempted in the background (never retried)

    def get(self, job_id: str) -> Job | None:
        return self.jobs.get(job_id) if isinstance(job_id, str) else None

    def running(self, kind: str | None = None) -> Job | None:
        return next((j for j in self.jobs.values() if j.state == "running" and kind in (None, j.kind)), None)

    def start_build(self, year: int | None = None, force: bool = False, only: list[str] | None = None,
                    thumbnails: bool = True) -> tuple[Job, bool]:
        """(job, started): a build already running is returned instead of starting a second one."""
        with self._lock:
            current = self.running("build")
            if current is not None:
                return current, False
            job = Job(secrets.token_hex(8), "build", year=year)
            self.jobs[job.id] = job
        threading.Thread(target=self._run, args=(job, force, list(only or []), thumbnails), daemon=True).start()
        return job, True

    def _run(self, job: Job, force: bool, only: list[str], thumbnails: bool) -> None:
        try:
            with self.writing:
                try:
                    job.total = self.service.stale_count(force, only)
                except ReportgenError:
                    job.total = 0
                job.phase = "生成文档"
                ok = self._build(job, force, only)
            if ok and thumbnails:  # PDFs always; PPTX/DOCX when LibreOffice is there
                job.phase = "生成缩略图"
                rels = [f["path"] for p in self.service.documents()["products"] for f in p["files"]]
                with self._thumbs:
                    self.service.render_thumbnails(rels)
            job.state = "done" if ok else "failed"
        except Exception as exc:  # noqa: BLE001 - shown on the page
            job.error = job.error or (f"错误：{exc}" if isinstance(exc, ReportgenError) else f"内部错误：{type(exc).__name__}: {exc}")
            job.state = "failed"
        finally:
            job.phase = {"done": "完成", "failed": "失败"}.get(job.state, job.phase)
            job.finished = time.time()

    def start_thumbnails(self, files: list[dict]) -> Job | None:
        """Page thumbnails of out/ files that have none (e.g. built from the command line), in the background.
        Each file is tried once per server run, so a file LibreOffice cannot open does not loop."""
        with self._lock:
            todo = [f for f in files if f["sha256"] not in self._tried]
            if not todo or self.running() is not None:
                return None
            self._tried.update(f["sha256"] for f in todo)
            job = Job(secrets.token_hex(8), "thumbnails", phase="生成缩略图", total=len(todo))
            self.jobs[job.id] = job
        threading.Thread(target=self._run_thumbnails, args=(job, [f["path"] for f in todo]), daemon=True).start()
        return job

    def _run_thumbnails(self, job: Job, rels: list[str]) -> None:
        try:
            with self._thumbs:
                self.service.render_thumbnails(rels)
            job.done, job.state = job.total, "done"
            job.message = f"已生成 {job.total} 个文件的页面缩略图。"
        except Exception as exc:  # noqa: BLE001 - shown on the page; the outline stays as the text view
            job.state = "failed"
            job.error = f"缩略图没有生成（{exc}）；下面显示各文档的目录。"
        finally:
            job.phase = {"done": "缩略图已生成", "failed": "缩略图没有生成"}.get(job.state, job.phase)
            job.finished = time.time()

    def _build(self, job: Job, force: bool, only: list[str]) -> bool:
        with tempfile.TemporaryDirectory(prefix="reportgen-job-") as tmp:
            log = Path(tmp) / "build.log"
            cmd = self.service.build_command(log, job.year, force, only)
            proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, encoding="utf-8")
            reader = threading.Thread(target=lambda: setattr(job, "_out", proc.communicate()), daemon=True)
            reader.start()
            while reader.is_alive():
                reader.join(0.2)
                self._progress(job, log)
            self._progress(job, log)
            stdout, stderr = getattr(job, "_out", ("", ""))
        result = _last_json(stdout)
        if result is None:
            job.error = "生成进程意外退出：" + (stderr.strip().splitlines() or ["（无输出）"])[-1]
            return False
        job.problems = result.get("problems", [])
        job.error = result.get("error", "")
        if result.get("note"):
            job.message = result["note"]
        elif result.get("ok") and not job.files:
            job.message = "所有文档均为最新，无需重新生成。"
        return bool(result.get("ok"))

    def _progress(self, job: Job, log: Path) -> None:
        out = self.service.out
        try:
            lines = log.read_text(encoding="utf-8").splitlines()
        except OSError:
            return
        job.files = [ln.split("✓ ", 1)[1] for ln in lines if "✓ " in ln]
        job.done = len(job.files)
        job.total = max(job.total, job.done)
        done = [ln for ln in lines if "完成：" in ln]
        if done:
            job.message = done[-1].split(" ", 2)[-1].replace(str(out) + os.sep, out.name + "/").replace(str(out), out.name)


def _last_json(text: str) -> dict | None:
    for line in reversed((text or "").splitlines()):
        try:
            value = json.loads(line)
        except ValueError:
            continue
        if isinstance(value, dict):
            return value
    return None
