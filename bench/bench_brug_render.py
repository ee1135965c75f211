"""How long one Brug picture takes to render, and how much memory rendering adds.

    .venv/bin/python bench/bench_brug_render.py [-n 50] [--pillars 8]

Targets: p95 <= 150 ms per picture, <= 60 MB extra resident memory. Prints figures only; the
first (cold) render, which loads the fonts and the character map, is reported separately.
"""

from __future__ import annotations

import argparse
import gc
import os
import resource
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot.render.brug import BrugPicture, PictureLegend, PicturePillar, render_brug

LABELS = (
    "Gezinsstabiliteit", "Sociaal netwerk", "Huisvesting", "Opleiding", "Gezondheid",
    "Schulden", "Sparen", "Inkomen", "Positieve gezondheid", "Zorg voor anderen",
    "Sociale contacten", "Spaargeld",
)  # fmt: skip


def picture(pillars: int) -> BrugPicture:
    """A busy picture: previous, targets and goals on, so every drawing path runs."""
    return BrugPicture(
        title="Jouw Brug naar Zelfredzaamheid",
        date_label="Ingevuld op 8 september 2025",
        subtitle="Kijk eens hoe ver je al bent gekomen.",
        legend=PictureLegend(
            now="Nu", before="Vorige keer", target="Doel", working_on="Hier werk je aan"
        ),
        pillars=tuple(
            PicturePillar(
                label=LABELS[i % len(LABELS)],
                current=1 + (i * 2) % 5,
                previous=1 + (i * 3) % 5,
                target=5 if i % 3 == 0 else None,
                has_active_goal=i % 4 == 1,
            )
            for i in range(pillars)
        ),
    )


def rss_mb() -> float:
    """Current resident set size, from /proc (Linux); falls back to the peak elsewhere."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return peak_mb()


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def percentile(samples: list[float], fraction: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=50, help="renders to time (default 50)")
    parser.add_argument("--pillars", type=int, default=8, help="pillars in the picture")
    args = parser.parse_args()

    pic = picture(args.pillars)
    gc.collect()
    rss_before, peak_before = rss_mb(), peak_mb()

    start = time.perf_counter()
    size = len(render_brug(pic))
    cold_ms = (time.perf_counter() - start) * 1000

    timings, cpu = [], []
    for _ in range(args.n):
        start, start_cpu = time.perf_counter(), time.process_time()
        render_brug(pic)
        timings.append((time.perf_counter() - start) * 1000)
        cpu.append((time.process_time() - start_cpu) * 1000)
    gc.collect()
    rss_after, peak_after = rss_mb(), peak_mb()

    print(f"brug render: {args.n} renders, {args.pillars} pillars, {size / 1024:.0f} KB PNG")
    print(f"  cold (fonts + cmap): {cold_ms:7.1f} ms")
    print(f"  p50:                 {statistics.median(timings):7.1f} ms")
    print(f"  p95:                 {percentile(timings, 0.95):7.1f} ms   (target <= 150)")
    print(f"  max:                 {max(timings):7.1f} ms")
    # CPU time of this process: what a render costs when the machine is busy with other work
    # (wall time then includes waiting for a core).
    print(f"  cpu p50 / p95:       {statistics.median(cpu):7.1f} / {percentile(cpu, 0.95):.1f} ms")
    print(f"  load average (1 min): {os.getloadavg()[0]:6.2f} on {os.cpu_count()} cores")
    print(f"  extra RSS:           {rss_after - rss_before:7.1f} MB   (target <= 60)")
    print(f"  extra peak RSS:      {peak_after - peak_before:7.1f} MB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
