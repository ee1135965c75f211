"""A tiny Bot API stand-in over real HTTP on 127.0.0.1, for command-line tests (`check`) that
build their own Bot from BOT_API_URL. It answers getMe, or 401 for a token it does not know."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@contextmanager
def serve_bot_api(token: str, username: str = "BrugTestBot") -> Iterator[str]:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            self.rfile.read(int(self.headers.get("Content-Length") or 0))
            if self.path == f"/bot{token}/getMe":
                status, body = 200, {"ok": True, "result": {
                    "id": 1, "is_bot": True, "first_name": "Brug", "username": username}}
            else:
                status, body = 401, {"ok": False, "error_code": 401,
                                     "description": "Unauthorized"}
            data = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *args: object) -> None:
            return None

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
