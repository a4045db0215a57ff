"""Previews: time and peak memory of the child that makes each one.

The text job's child (app/resources/text_extract.py) reads a file's words,
then draws its preview, under the same memory and CPU ceilings as in
production (TEXT_EXTRACT_MEMORY_MB=128, TEXT_EXTRACT_SECONDS=30 unless
given). For each file: run that child exactly as the worker does
(`text_jobs.child_command`, bare environment), time it, and read its peak
resident memory (ru_maxrss of that one process, from wait4). The files are
made in code: a normal PDF, a PDF whose page is 200 x 200 inches, a slide
deck with and without its own thumbnail, large images, and hostile ones.
Targets: every child under its ceiling, every preview at most 480 x 960, and
no hostile file makes a preview or costs the text.

Run: make bench BENCH=thumbnails    (or .venv/bin/python bench/thumbnails.py [--json PATH] [--memory-mb N])
"""

from __future__ import annotations

import argparse
import io
import json
import os
import platform
import subprocess
import sys
import tempfile
import threading
import time
import zlib
from datetime import datetime, timezone
from pathlib import Path

from _common import REPO, git_commit

sys.path.insert(0, str(REPO))
from PIL import Image  # noqa: E402

from app.resources import text_jobs  # noqa: E402
from tests.resources.samples import (  # noqa: E402
    jpeg_bytes,
    pdf_bytes,
    pdf_page_bytes,
    pixel_bomb_bytes,
    pptx_bytes,
    with_thumbnail,
)


def big_image(fmt: str, width: int = 6000, height: int = 4000) -> bytes:
    """A photo-sized picture with some detail (a gradient), as JPEG or PNG."""
    gradient = Image.linear_gradient("L").resize((width, height))
    image = Image.merge("RGB", (gradient, gradient.rotate(90, expand=False), gradient))
    out = io.BytesIO()
    image.save(out, fmt, **({"quality": 85} if fmt == "JPEG" else {"compress_level": 1}))
    return out.getvalue()


def pdf_image_bomb(side: int = 20_000) -> bytes:
    """A PDF whose first page draws one side x side RGB image (1.2 GB decoded)
    from a stream of about 1 MB of compressed zeros."""
    packer = zlib.compressobj(9)
    row_block = b"\0" * (side * 3 * 100)
    stream = b"".join(packer.compress(row_block) for _ in range(side // 100)) + packer.flush()
    content = b"q 612 0 0 792 0 0 cm /Im1 Do Q"
    image = (b"<< /Type /XObject /Subtype /Image /Width %d /Height %d /ColorSpace /DeviceRGB "
             b"/BitsPerComponent 8 /Filter /FlateDecode /Length %d >>\nstream\n" % (side, side, len(stream))
             + stream + b"\nendstream")
    page = pdf_page_bytes(content)
    # Give the page its image: one more object, and the page's resources name it.
    page = page.replace(b"/Resources << /Font", b"/Resources << /XObject << /Im1 5 0 R >> /Font")
    body, _, _ = page.partition(b"xref\n")
    objects = body + b"5 0 obj\n" + image + b"\nendobj\n"
    offsets, at = [], 0
    for number in range(1, 6):
        at = objects.index(b"%d 0 obj\n" % number, at)
        offsets.append(at)
    xref = len(objects)
    tail = b"xref\n0 6\n0000000000 65535 f \n" + b"".join(b"%010d 00000 n \n" % o for o in offsets)
    tail += b"trailer\n<< /Size 6 /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % xref
    return objects + tail


def zip_bomb_thumbnail() -> bytes:
    """A deck whose docProps/thumbnail.jpeg inflates to 200 MB (200 KB stored)."""
    return with_thumbnail(pptx_bytes(), b"\xff\xd8\xff" + b"\0" * (200 * 1024 * 1024))


FILES = [
    # name, kind, bytes, expected preview
    ("normal PDF (1 page, A4-ish)", "pdf", lambda: pdf_bytes("Photosynthesis worksheet"), "ready"),
    ("PDF, one 200 x 200 inch page", "pdf", lambda: pdf_page_bytes(width=14_400, height=14_400), "ready"),
    ("pptx with its own thumbnail", "presentation",
     lambda: with_thumbnail(pptx_bytes(), jpeg_bytes(256, 192)), "ready"),
    ("pptx without a thumbnail", "presentation", lambda: with_thumbnail(pptx_bytes(), None), "none"),
    ("JPEG photo, 6000 x 4000 (24 MP)", "image", lambda: big_image("JPEG"), "ready"),
    ("PNG, 6000 x 4000 (24 MP)", "image", lambda: big_image("PNG"), "ready or failed"),
    ("hostile: PNG declaring 900 MP", "image", pixel_bomb_bytes, "failed"),
    ("hostile: pptx thumbnail inflating to 200 MB", "presentation", zip_bomb_thumbnail, "failed"),
    ("hostile: PDF page with a 400 MP image", "pdf", pdf_image_bomb, "ready or failed"),
]


class PeakMemory(threading.Thread):
    """The child's own high-water resident memory (VmHWM), read every 2 ms
    until it exits. Not wait4's ru_maxrss: Linux counts into that the memory
    of the process it was forked from (this one), before its exec."""

    def __init__(self, pid: int):
        super().__init__(daemon=True)
        self.status = Path(f"/proc/{pid}/status")
        self.mb = 0.0

    def run(self) -> None:
        while True:
            try:
                text = self.status.read_text()
            except OSError:  # gone
                return
            for line in text.splitlines():
                if line.startswith("VmHWM:"):
                    self.mb = max(self.mb, int(line.split()[1]) / 1024)
            if "State:\tZ" in text:  # exited, not yet reaped
                return
            time.sleep(0.002)


def run_one(kind: str, data: bytes, memory_mb: int, seconds: int) -> dict:
    with tempfile.TemporaryDirectory(prefix="bench-thumb-") as work:
        source = Path(work) / "upload"
        source.write_bytes(data)
        out_dir = Path(work) / "out"
        out_dir.mkdir()
        started = time.perf_counter()
        child = subprocess.Popen(text_jobs.child_command(source, kind, str(out_dir), memory_mb, seconds),
                                 stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=text_jobs.child_environment(),
                                 cwd=out_dir)
        peak = PeakMemory(child.pid)
        peak.start()
        stdout, stderr = child.communicate()
        elapsed = time.perf_counter() - started
        peak.join()
        result = text_jobs.read_result(subprocess.CompletedProcess([], child.returncode, stdout, stderr), out_dir,
                                       kind)
    size = Image.open(io.BytesIO(result.thumbnail)).size if result.thumbnail else None
    return {"seconds": round(elapsed, 3), "peak_mb": round(peak.mb, 1), "exit": child.returncode,
            "preview": result.preview, "text_status": result.status, "thumb_size": size,
            "thumb_bytes": len(result.thumbnail or b"")}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--json", type=Path, default=REPO / "bench" / "results" / "thumbnails.json")
    parser.add_argument("--memory-mb", type=int, default=128)
    parser.add_argument("--seconds", type=int, default=30)
    args = parser.parse_args()
    rows = []
    print(f"{'file':45} {'bytes':>10} {'s':>6} {'peak MB':>8} {'exit':>5} {'preview':>8} {'size':>10} {'text':>9}")
    for name, kind, make, expected in FILES:
        data = make()
        measured = run_one(kind, data, args.memory_mb, args.seconds)
        rows.append({"file": name, "kind": kind, "bytes": len(data), "expected": expected, **measured})
        size = "x".join(map(str, measured["thumb_size"])) if measured["thumb_size"] else "-"
        print(f"{name:45} {len(data):>10,} {measured['seconds']:>6.2f} {measured['peak_mb']:>8.1f} "
              f"{measured['exit']:>5} {measured['preview']:>8} {size:>10} {measured['text_status']:>9}")
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps({
        "when": datetime.now(timezone.utc).isoformat(timespec="seconds"), "commit": git_commit(),
        "machine": {"cpus": os.cpu_count(), "platform": platform.platform(), "python": platform.python_version()},
        "memory_mb": args.memory_mb, "seconds": args.seconds, "files": rows,
    }, indent=2))
    print(f"written: {args.json}")


if __name__ == "__main__":
    main()
