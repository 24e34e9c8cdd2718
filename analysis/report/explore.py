"""`python -m analysis explore`: the study's whole evidence as a local web app on 127.0.0.1.

It reads OUT/tables/evidence.sqlite (results/evidence_db.py), so it opens at once at any corpus
size: every filter is an indexed query, search is SQLite FTS5 (trigram) over the text folded as
the coder folds it, and a page is 50 rows.  The page is the briefing's explorer (same controls,
same look, the same ``#ev-<evidence id>`` deep links), fed by ``/api/rows`` instead of an
embedded blob.

Served by the standard library's threading HTTP server, on the loopback interface only; requests
whose Host is not the loopback address are refused (a web page elsewhere cannot reach it through
DNS rebinding), every query runs under a time limit, and a request that stalls is dropped.
Only ``/api/ping`` answers other origins (the HTML briefing asks it whether the app is running).
"""
from __future__ import annotations

import json
import sqlite3
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from importlib import resources
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from analysis.report.explorer import EXPLORE_PORT, PAGE, STANCES, widget
from analysis.results.evidence_db import db_path, fold

HOST = "127.0.0.1"
QUERY_SECONDS = 5.0    # a query running longer is interrupted
REQUEST_SECONDS = 10   # a client that sends nothing for this long is dropped
FILTERS = ("o", "g", "f", "s", "sp", "c")
COLUMNS = {"o": "outlet", "g": "grp", "f": "frame", "s": "stance", "sp": "speaker", "c": "camp"}


class Evidence:
    """Read-only queries over evidence.sqlite, one connection per thread."""

    def __init__(self, tables: Path):
        self.path = db_path(tables)
        if not self.path.is_file():
            raise FileNotFoundError(f"{self.path}: no evidence database; run `python -m analysis render` "
                                    "or `python -m analysis explore` with --data")
        self._local = threading.local()
        self.labels = json.loads(self._con().execute("SELECT value FROM meta WHERE key='labels'").fetchone()[0])

    def _con(self) -> sqlite3.Connection:
        con = getattr(self._local, "con", None)
        if con is None:
            con = sqlite3.connect(f"file:{self.path}?mode=ro", uri=True, check_same_thread=False)
            self._local.con = con
        deadline = time.monotonic() + QUERY_SECONDS
        con.set_progress_handler(lambda: int(time.monotonic() > deadline), 10000)
        return con

    def options(self) -> dict:
        con = self._con()
        distinct = lambda c: [r[0] for r in con.execute(f'SELECT DISTINCT "{c}" FROM evidence ORDER BY 1')]  # noqa: E731
        frames = distinct("frame")
        order = list(self.labels)
        frames.sort(key=lambda f: order.index(f) if f in order else len(order))
        return {"outlets": distinct("outlet"), "speakers": distinct("speaker"), "stances": list(STANCES),
                "frames": [[f, self.labels.get(f, f)] for f in frames], "page": PAGE,
                "camps": [c for c in distinct("camp") if c], "groups": [g for g in distinct("grp") if g],
                "unnamed": bool(con.execute("SELECT 1 FROM evidence WHERE unnamed LIMIT 1").fetchone()),
                "total": int(con.execute("SELECT count(*) FROM evidence").fetchone()[0])}

    def rows(self, params: dict[str, str]) -> dict:
        """The rows matching the filters (``q`` words, ``o g f s sp c`` exact, ``u`` on unnamed sources,
        ``from to`` dates, ``id`` one evidence id), ``page`` by page, in reading order, with how many match."""
        where, args = [], []
        for k in FILTERS:
            if params.get(k):
                where.append(f'"{COLUMNS[k]}" = ?')
                args.append(params[k])
        if params.get("u") == "1":
            where.append("unnamed = 1")
        if params.get("from"):
            where += ["date != ''", "date >= ?"]
            args.append(params["from"])
        if params.get("to"):
            where += ["date != ''", "date <= ?"]
            args.append(params["to"])
        if params.get("id"):
            where.append("evidence_id = ?")
            args.append(params["id"])
        words = fold(params.get("q", "")).split()
        long_words = [w for w in words if len(w) >= 3]  # the trigram index finds substrings of three or more
        if long_words:
            where.append("sentence IN (SELECT rowid FROM search WHERE search MATCH ?)")
            args.append(" AND ".join('"' + w.replace('"', '""') + '"' for w in long_words))
        for w in words:
            if len(w) < 3:
                where.append("sentence IN (SELECT rowid FROM search WHERE hay LIKE ? ESCAPE '\\')")
                args.append("%" + w.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%")
        cond = (" WHERE " + " AND ".join(where)) if where else ""
        page = max(0, int(params.get("page") or 0))
        con = self._con()
        n = con.execute(f"SELECT count(*) FROM evidence{cond}", args).fetchone()[0]
        cur = con.execute(f'SELECT evidence_id, frame, stance, speaker, outlet, date, file, start, "end", arabic, '
                          f"english, highlights, camp, grp, unnamed FROM evidence{cond} ORDER BY id LIMIT ? OFFSET ?",
                          [*args, PAGE, page * PAGE])
        out = [{"id": r[0], "f": r[1], "fl": self.labels.get(r[1], r[1]), "s": r[2], "sp": r[3], "o": r[4],
                "d": r[5], "file": r[6], "a": r[7], "b": r[8], "ar": r[9], "en": r[10], "h": json.loads(r[11]),
                "c": r[12], "g": r[13], "u": r[14]}
               for r in cur]
        return {"total": int(n), "page": page, "rows": out}


def page_html() -> str:
    """The app's one page: the briefing's explorer markup with the script that asks the server."""
    head, _ = widget()
    script = resources.files("analysis.report").joinpath("explore.js").read_text(encoding="utf-8")
    return ("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">"
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
            "<title>Evidence explorer</title><style>body{font-family:system-ui,sans-serif;margin:1em auto;"
            "max-width:1200px;padding:0 1em}</style></head><body><h1>Evidence explorer</h1>"
            "<p>Every sentence × frame of the study, from <code>tables/evidence.sqlite</code>.</p>"
            + head.replace(" hidden aria-label", " aria-label") + f"<script>{script}</script></body></html>")


class Handler(BaseHTTPRequestHandler):
    evidence: Evidence
    page: bytes
    port: int
    timeout = REQUEST_SECONDS

    def log_message(self, *args) -> None:  # quiet: the terminal shows the address only
        pass

    def _send(self, status: int, body: bytes, kind: str, cors: bool = False) -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.send_header("X-Content-Type-Options", "nosniff")
        self.send_header("Content-Security-Policy", "default-src 'self'; script-src 'unsafe-inline'; "
                                                    "style-src 'unsafe-inline'")
        if cors:
            self.send_header("Access-Control-Allow-Origin", "*")
        self.end_headers()
        self.wfile.write(body)

    def _json(self, value, cors: bool = False) -> None:
        self._send(200, json.dumps(value, ensure_ascii=False).encode(), "application/json; charset=utf-8", cors)

    def do_GET(self) -> None:  # noqa: N802 (the standard library's name)
        url = urlsplit(self.path)
        if url.path == "/api/ping":
            return self._json({"ok": True}, cors=True)
        if self.headers.get("Host", "") not in (f"{HOST}:{self.port}", f"localhost:{self.port}"):
            return self._send(403, b"forbidden: open this app at its loopback address", "text/plain")
        params = {k: v[-1] for k, v in parse_qs(url.query).items()}
        try:
            if url.path == "/":
                return self._send(200, self.page, "text/html; charset=utf-8")
            if url.path == "/favicon.ico":  # browsers ask; none
                return self._send(204, b"", "image/x-icon")
            if url.path == "/api/options":
                return self._json(self.evidence.options())
            if url.path == "/api/rows":
                return self._json(self.evidence.rows(params))
        except sqlite3.OperationalError as e:  # interrupted by the time limit, or a malformed search
            return self._send(400, f"query refused: {e}".encode(), "text/plain; charset=utf-8")
        except ValueError:
            return self._send(400, b"bad parameter", "text/plain")
        return self._send(404, b"not found", "text/plain")


def serve(tables: Path, port: int = EXPLORE_PORT) -> ThreadingHTTPServer:
    """A server for ``tables``' evidence on 127.0.0.1:``port`` (0: any free port); call
    ``serve_forever()`` on it, ``shutdown()`` to stop."""
    evidence = Evidence(Path(tables))
    handler = type("BoundHandler", (Handler,), {"evidence": evidence, "page": page_html().encode()})
    server = ThreadingHTTPServer((HOST, port), handler)
    server.daemon_threads = True
    handler.port = server.server_address[1]
    return server
