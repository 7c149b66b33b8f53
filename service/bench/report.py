"""The bench's outputs: one table, the JSON file, an SVG chart, profile summaries."""

from __future__ import annotations

import json
from collections import Counter
from html import escape
from pathlib import Path
from typing import Any

COLUMNS = [
    ("path", "label", "{}"),
    ("req/s", "rps", "{:.0f}"),
    ("p50 ms", "p50_ms", "{:.1f}"),
    ("p99 ms", "p99_ms", "{:.1f}"),
    ("errors", "errors", "{}"),
    ("db-only tps", "ceiling_tps", "{:.0f}"),
    ("ratio", "ratio", "{:.2f}"),
    ("svc µs/req", "service_cpu_us_per_req", "{}"),
    ("pg µs/req", "pg_cpu_us_per_req", "{}"),
    ("k6 µs/req", "loadgen_cpu_us_per_req", "{}"),
]


def _cell(fmt: str, value: Any) -> str:
    return "-" if value is None else fmt.format(value)


def table(result: dict[str, Any]) -> str:
    columns = list(COLUMNS)
    if any("pgbouncer_cpu_us_per_req" in p for p in result["paths"].values()):
        columns.append(("pgbouncer µs/req", "pgbouncer_cpu_us_per_req", "{}"))
    rows = [[name, *(_cell(fmt, p.get(key)) for _, key, fmt in columns)] for name, p in result["paths"].items()]
    header = ["", *(title for title, _, _ in columns)]
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]

    def line(cells: list[str]) -> str:
        pairs = enumerate(zip(cells, widths, strict=True))
        return "  ".join(c.ljust(w) if i < 2 else c.rjust(w) for i, (c, w) in pairs)

    m, s = result["machine"], result["settings"]
    head = (f"machine: {m['cores']} cores ({m['cpu']}), load average at start {m['loadavg_at_start']}\n"
            f"server: {s['server']}, {s['workers']} workers x pool {s['pool_per_worker']}; "
            f"{s['clients']} clients (k6 VUs = pgbench clients unless the path says), "
            f"{s['duration_s']:g} s per path, {s['users']} users; PostgreSQL {s['postgres'].get('version')}"
            + (f"; via {s['pgbouncer']}, statement cache {s['statement_cache_size']}" if s.get("pgbouncer") else ""))
    notes = [f"{name}: {p['clients']} clients; {p['note']}" for name, p in result["paths"].items() if p.get("note")]
    cores = [f"{name}: cores used " + ", ".join(f"{k} {v}" for k, v in p["cores_used"].items())
             for name, p in result["paths"].items()]
    return "\n".join([head, "", line(header), line(["-" * w for w in widths]), *map(line, rows), "", *notes,
                      *cores])


def write_json(result: dict[str, Any], path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(result, indent=2) + "\n")


def svg_chart(result: dict[str, Any]) -> str:
    """Per path: requests/s beside the database-only ceiling, and CPU µs per request (service vs PostgreSQL)."""
    paths = list(result["paths"].items())
    row_h, left, width = 46, 190, 760
    half = (width - left - 40) // 2
    height = 70 + row_h * len(paths) + 40
    max_rate = max([1.0, *(max(p["rps"], p["ceiling_tps"] or 0) for _, p in paths)])
    max_cpu = max([1.0, *((p["service_cpu_us_per_req"] or 0) + (p["pg_cpu_us_per_req"] or 0) for _, p in paths)])
    colors = {"rps": "#3b6fb6", "ceiling": "#b8c7dd", "svc": "#d9822b", "pg": "#5a9e6f"}
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
           f'font-family="sans-serif" font-size="12">',
           f'<rect width="{width}" height="{height}" fill="white"/>',
           f'<text x="{left}" y="20" font-weight="bold">requests/s (dark) vs database-only tps (light)</text>',
           f'<text x="{left + half + 30}" y="20" font-weight="bold">CPU µs per request: service + PostgreSQL</text>']
    for i, (name, p) in enumerate(paths):
        y = 40 + i * row_h
        out.append(f'<text x="8" y="{y + 18}">{escape(name)}: {escape(p["label"])[:24]}</text>')
        if p["ceiling_tps"]:
            w = p["ceiling_tps"] / max_rate * half
            out.append(f'<rect x="{left}" y="{y}" width="{w:.1f}" height="14" fill="{colors["ceiling"]}"/>'
                       f'<text x="{left + w + 4:.1f}" y="{y + 11}">{p["ceiling_tps"]:.0f}</text>')
        w = p["rps"] / max_rate * half
        out.append(f'<rect x="{left}" y="{y + 16}" width="{w:.1f}" height="14" fill="{colors["rps"]}"/>'
                   f'<text x="{left + w + 4:.1f}" y="{y + 27}">{p["rps"]:.0f}</text>')
        x = left + half + 30
        svc, pg = p["service_cpu_us_per_req"] or 0, p["pg_cpu_us_per_req"] or 0
        ws, wp = svc / max_cpu * (half - 40), pg / max_cpu * (half - 40)
        out.append(f'<rect x="{x}" y="{y + 8}" width="{ws:.1f}" height="16" fill="{colors["svc"]}"/>'
                   f'<rect x="{x + ws:.1f}" y="{y + 8}" width="{wp:.1f}" height="16" fill="{colors["pg"]}"/>'
                   f'<text x="{x + ws + wp + 4:.1f}" y="{y + 20}">{svc} + {pg}</text>')
    m, s = result["machine"], result["settings"]
    out.append(f'<text x="8" y="{height - 12}" fill="#555">{m["cores"]} cores, {s["workers"]} workers x pool '
               f'{s["pool_per_worker"]}, {s["clients"]} clients, {s["duration_s"]:g} s per path; service CPU '
               f'orange, PostgreSQL green</text>')
    out.append("</svg>")
    return "\n".join(out) + "\n"


def write_chart(result: dict[str, Any], path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(svg_chart(result))


def summarize_profile(raw: Path, top: int = 30) -> Path | None:
    """py-spy's collapsed stacks -> the functions with the most samples, inclusive and self."""
    if not raw.exists():
        return None
    inclusive: Counter[str] = Counter()
    own: Counter[str] = Counter()
    total = 0
    for line in raw.read_text().splitlines():
        stack, _, count = line.rpartition(" ")
        if not stack or not count.isdigit():
            continue
        n = int(count)
        total += n
        frames = stack.split(";")
        for frame in set(frames):
            inclusive[frame] += n
        own[frames[-1]] += n
    out = raw.with_suffix(".top.txt")
    lines = [f"{total} samples", "", "inclusive %  function"]
    lines += [f"{c / total * 100:10.1f}  {f}" for f, c in inclusive.most_common(top)]
    lines += ["", "self %  function"]
    lines += [f"{c / total * 100:6.1f}  {f}" for f, c in own.most_common(top)]
    out.write_text("\n".join(lines) + "\n")
    return out
