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


def _scale(values: list[float]) -> float:
    """Axis maximum; one outlier (a login's argon2 CPU) is clipped instead of flattening every other bar."""
    ordered = sorted((v for v in values if v), reverse=True) or [1.0]
    if len(ordered) > 1 and ordered[0] > 5 * ordered[1]:
        return ordered[1] * 1.3
    return ordered[0]


def svg_chart(result: dict[str, Any]) -> str:
    """Per path: requests/s beside the database-only ceiling, and CPU µs per request (service + PostgreSQL)."""
    paths = list(result["paths"].items())
    row_h, left, width, half = 46, 250, 960, 330
    right = left + half + 40
    height = 70 + row_h * len(paths) + 30
    max_rate = _scale([max(p["rps"], p["ceiling_tps"] or 0) for _, p in paths])
    max_cpu = _scale([(p["service_cpu_us_per_req"] or 0) + (p["pg_cpu_us_per_req"] or 0) for _, p in paths])
    colors = {"rps": "#3b6fb6", "ceiling": "#b8c7dd", "svc": "#d9822b", "pg": "#5a9e6f"}
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
           f'font-family="sans-serif" font-size="12">',
           f'<rect width="{width}" height="{height}" fill="white"/>',
           f'<text x="{left}" y="22" font-weight="bold">req/s (dark) and database-only tps (light)</text>',
           f'<text x="{right}" y="22" font-weight="bold">CPU µs/req: service (orange) + '
           f'PG (green)</text>']

    def bar(x: float, y: float, value: float, scale: float, span: float, color: str) -> tuple[str, float]:
        w = min(value / scale, 1.0) * span
        clipped = value > scale
        return (f'<rect x="{x:.1f}" y="{y}" width="{w:.1f}" height="14" fill="{color}"/>'
                + (f'<text x="{x + w - 14:.1f}" y="{y + 11}" fill="white">»</text>' if clipped else ""), w)

    for i, (name, p) in enumerate(paths):
        y = 40 + i * row_h
        out.append(f'<text x="8" y="{y + 20}">{escape(name)}: {escape(p["label"])[:30]}</text>')
        if p["ceiling_tps"]:
            svg, w = bar(left, y, p["ceiling_tps"], max_rate, half, colors["ceiling"])
            out.append(svg + f'<text x="{left + w + 4:.1f}" y="{y + 11}">{p["ceiling_tps"]:.0f}</text>')
        svg, w = bar(left, y + 16, p["rps"], max_rate, half, colors["rps"])
        out.append(svg + f'<text x="{left + w + 4:.1f}" y="{y + 27}">{p["rps"]:.0f}</text>')
        svc, pg = p["service_cpu_us_per_req"] or 0, p["pg_cpu_us_per_req"] or 0
        span = width - right - 110
        svg_s, ws = bar(right, y + 8, svc, max_cpu, span, colors["svc"])
        ws_pg = min(pg / max_cpu, 1.0) * span if svc <= max_cpu else 0
        out.append(svg_s + f'<rect x="{right + ws:.1f}" y="{y + 8}" width="{ws_pg:.1f}" height="14" '
                   f'fill="{colors["pg"]}"/><text x="{right + ws + ws_pg + 4:.1f}" y="{y + 19}">{svc} + {pg}</text>')
    m, s = result["machine"], result["settings"]
    out.append(f'<text x="8" y="{height - 10}" fill="#555">{m["cores"]} cores shared by server, PostgreSQL and '
               f'k6; {s["workers"]} workers x pool {s["pool_per_worker"]}, {s["clients"]} clients, '
               f'{s["duration_s"]:g} s per path; » = bar clipped</text>')
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
