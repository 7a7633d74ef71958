"""`POST /hooks/carrier`: a carrier's pushed tracking update, applied like a poll's answer.

A carrier is not a signed-in clerk: the push proves itself with the shared secret
(`MAILROOM_CARRIER_WEBHOOK_SECRET`) in the `X-Carrier-Secret` header, compared in constant
time; without a secret configured every push is refused. The body is kuaidi100's push,
as JSON or as the form field `param` holding the JSON.
"""

from __future__ import annotations

import hmac
import json
import urllib.parse
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from mailroom.errors import CarrierError
from mailroom.logistics.refresh import apply_push
from mailroom.web.context import WebState

HEADER = "x-carrier-secret"
MAX_BODY = 1024 * 1024


async def carrier_hook(request: Request) -> Response:
    state: WebState = request.app.state.web
    secret = state.runtime.settings.carrier_webhook_secret
    given = request.headers.get(HEADER, "")
    if not secret or not hmac.compare_digest(given.encode(), secret.encode()):
        return _answer(403, "the push does not carry the shared secret")
    body = await request.body()
    if len(body) > MAX_BODY:
        return _answer(413, "the push is too large")
    payload = _payload(body, request.headers.get("content-type", ""))
    if payload is None:
        return _answer(400, "the push is neither JSON nor a form with param")
    try:
        number, new = await run_in_threadpool(apply_push, state.runtime, payload)
    except CarrierError as exc:
        return _answer(400, str(exc))
    return JSONResponse(
        {"result": True, "returnCode": "200", "message": "ok", "number": number, "new": new}
    )


def _payload(body: bytes, content_type: str) -> dict[str, Any] | None:
    try:
        if "application/x-www-form-urlencoded" in content_type:
            form = urllib.parse.parse_qs(body.decode("utf-8"))
            data = json.loads(form.get("param", [""])[0])
        else:
            data = json.loads(body.decode("utf-8"))
    except (ValueError, UnicodeDecodeError):
        return None
    return data if isinstance(data, dict) else None


def _answer(status: int, message: str) -> Response:
    return JSONResponse(
        {"result": False, "returnCode": str(status), "message": message}, status_code=status
    )
