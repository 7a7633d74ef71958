"""A carrier tracking API on a loopback port, speaking kuaidi100's query protocol.

The real service is remote and paid; this one answers `POST /poll/query.do` the same way
(form `customer`, `sign` = MD5(param + key + customer) upper-case, `param` JSON with `com`
and `num`), from parcels the test gives it, and refuses a wrong signature as kuaidi100 does.
"""

from __future__ import annotations

import hashlib
import json
import threading
import urllib.parse
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

CUSTOMER, KEY = "TESTCUSTOMER", "test-key-123"


@dataclass
class FakeCarrier:
    """The server, its parcels (`(com, num)` -> rows newest first, state) and the queries."""

    parcels: dict[tuple[str, str], tuple[list[dict[str, str]], str]] = field(default_factory=dict)
    queries: list[dict[str, Any]] = field(default_factory=list)
    broken: bool = False
    server: ThreadingHTTPServer | None = None

    @property
    def url(self) -> str:
        assert self.server is not None
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    @property
    def api_key(self) -> str:
        """The value of MAILROOM_CARRIER_API_KEY for this server: customer:key."""
        return f"{CUSTOMER}:{KEY}"

    def start(self) -> FakeCarrier:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 (the stdlib's name)
                length = int(self.headers.get("Content-Length") or 0)
                form = urllib.parse.parse_qs(self.rfile.read(length).decode())
                self._send(*fake.answer({k: v[0] for k, v in form.items()}, self.path))

            def _send(self, status: int, body: dict[str, Any]) -> None:
                data = json.dumps(body, ensure_ascii=False).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json;charset=UTF-8")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args: Any) -> None:
                return

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        if self.server is not None:
            self.server.shutdown()
            self.server.server_close()

    def answer(self, form: dict[str, str], path: str) -> tuple[int, dict[str, Any]]:
        if self.broken:
            return 500, {"message": "服务器错误"}
        if path != "/poll/query.do":
            return 404, {"message": "not found"}
        param = form.get("param", "")
        sign = hashlib.md5((param + KEY + CUSTOMER).encode()).hexdigest().upper()
        if form.get("customer") != CUSTOMER or form.get("sign") != sign:
            return 200, {"result": False, "returnCode": "601", "message": "验证签名失败"}
        query = json.loads(param)
        self.queries.append(query)
        found = self.parcels.get((query["com"], query["num"]))
        if found is None:
            return 200, {
                "result": False,
                "returnCode": "500",
                "message": "查询无结果，请隔段时间再查",
            }
        rows, state = found
        return 200, {
            "message": "ok",
            "nu": query["num"],
            "ischeck": "1" if state == "3" else "0",
            "com": query["com"],
            "status": "200",
            "state": state,
            "data": rows,
        }
