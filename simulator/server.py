"""The HTTP front: SP-API and Login with Amazon routes, and the JSON control API."""

import json
import re
import socket
import sys
import time
import traceback
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, unquote, urlsplit

from simulator import jsontext
from simulator.errors import ApiError, ControlError, LwaError
from simulator.state import Simulator

ORDERS_PATH = "/orders/2026-01-01/orders"
ORDER_PATH = re.compile(r"^/orders/2026-01-01/orders/(?P<order_id>[^/]+)$")
ORDER_STATUS_PATH = re.compile(r"^/_simulator/orders/(?P<order_id>[^/]+)/status$")
STORED_ORDER_PATH = re.compile(r"^/_simulator/orders/(?P<order_id>[^/]+)$")
MAX_BODY_BYTES = 10 * 1024 * 1024


class SimulatorServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, address, simulator: Simulator, *, log_requests: bool = False) -> None:
        super().__init__(address, SimulatorRequestHandler)
        self.simulator = simulator
        self.log_requests = log_requests


class SimulatorRequestHandler(BaseHTTPRequestHandler):
    # Keep-alive, as Amazon's endpoints allow; every answer carries a Content-Length.
    protocol_version = "HTTP/1.1"
    # Headers and body go out in separate writes; without this, Nagle's algorithm and
    # delayed ACKs add about 40 ms to every kept-alive request.
    disable_nagle_algorithm = True
    server_version = "SellingPartnerApiSimulator/1.0"
    server: SimulatorServer

    def log_message(self, template, *args):
        if self.server.log_requests:
            super().log_message(template, *args)

    @property
    def simulator(self) -> Simulator:
        return self.server.simulator

    # ----------------------------------------------------------------- dispatch

    def do_GET(self):
        self._dispatch("GET")

    def do_POST(self):
        self._dispatch("POST")

    def do_PUT(self):
        self._dispatch("PUT")

    def do_DELETE(self):
        self._dispatch("DELETE")

    def _dispatch(self, method: str) -> None:
        # Routing looks only at the path: clients may send any Host header.
        url = urlsplit(self.path)
        path = unquote(url.path).rstrip("/") or "/"
        params = parse_qs(url.query, keep_blank_values=True)
        try:
            # Always drain the body, so an early answer leaves a kept-alive connection usable.
            self._body = self._read_body()
            if path == "/auth/o2/token":
                self._require(method, "POST")
                self._token()
            elif path == ORDERS_PATH:
                self._require(method, "GET")
                self._sp_api(
                    "searchOrders", lambda seller: self.simulator.search_orders(seller, params)
                )
            elif match := ORDER_PATH.match(path):
                self._require(method, "GET")
                order_id = match["order_id"]
                self._sp_api(
                    "getOrder", lambda seller: self.simulator.get_order(seller, order_id, params)
                )
            elif path.startswith("/_simulator/"):
                self._control(method, path)
            else:
                self._send_json(404, ApiError(404, "NotFound", "Resource not found.").body())
        except ControlError as error:
            self._send_json(error.status, error.body())
        except ApiError as error:
            self._send_json(error.status, error.body())
        except Exception as error:
            # A bug or an input nobody foresaw: answer like a server that failed, never by
            # dropping the connection, which clients would take for a network fault.
            traceback.print_exc(file=sys.stderr)
            if path.startswith("/_simulator/"):
                failure = ControlError(500, f"{type(error).__name__}: {error}")
            else:
                failure = ApiError(
                    500, "InternalFailure", "We encountered an internal error. Please try again."
                )
            self._send_json(500, failure.body())

    def _require(self, method: str, expected: str) -> None:
        if method != expected:
            raise ApiError(405, "MethodNotAllowed", f"Use {expected} for this resource.")

    # ----------------------------------------------------------------- Login with Amazon

    def _token(self) -> None:
        self.simulator.count_call("token")
        if self._inject_fault("token"):
            return
        raw = self._body
        content_type = self.headers.get("Content-Type", "")
        if "json" in content_type:
            try:
                form = {key: str(value) for key, value in json.loads(raw or b"{}").items()}
            except (ValueError, AttributeError):
                form = {}
        else:
            form = {
                key: values[-1] for key, values in parse_qs(raw.decode("utf-8", "replace")).items()
            }
        try:
            body = self.simulator.issue_access_token(form)
        except LwaError as error:
            self.simulator.count_response("token", error.status)
            self._send_json(error.status, error.body())
            return
        self.simulator.count_response("token", 200)
        self._send_json(200, body, extra_headers={"Cache-Control": "no-store"})

    # ----------------------------------------------------------------- SP-API

    def _sp_api(self, operation: str, serve) -> None:
        simulator = self.simulator
        simulator.count_call(operation)
        rate_header = simulator.rate_limiter.rate_limit_headers(operation)
        try:
            seller_id = simulator.authenticate(self.headers.get("x-amz-access-token"))
        except ApiError as error:
            simulator.count_response(operation, error.status)
            self._send_json(error.status, error.body())
            return
        try:
            simulator.admit(seller_id, operation)
        except ApiError as error:
            simulator.count_response(operation, error.status)
            self._send_json(error.status, error.body(), extra_headers=rate_header)
            return
        if self._inject_fault(operation):
            return
        try:
            body = serve(seller_id)
        except ApiError as error:
            simulator.count_response(operation, error.status)
            self._send_json(error.status, error.body(), extra_headers=rate_header)
            return
        simulator.count_response(operation, 200)
        self._send_json(200, body, extra_headers=rate_header)

    def _inject_fault(self, operation: str) -> bool:
        """Serve a drawn fault; True when the call has been answered (or dropped) by it."""
        kind, slow_seconds = self.simulator.faults.draw(operation)
        if kind is None:
            return False
        self.simulator.count_fault(kind)
        if kind == "slow":
            time.sleep(slow_seconds)
            return False
        if kind == "500":
            error = ApiError(
                500, "InternalFailure", "We encountered an internal error. Please try again."
            )
            self._send_json(500, error.body())
        elif kind == "503":
            error = ApiError(
                503, "ServiceUnavailable", "Service temporarily unavailable. Please try again."
            )
            self._send_json(503, error.body())
        elif kind == "malformed_json":
            self._send_bytes(200, b'{"orders": [{"orderId": "', "application/json")
        elif kind == "drop":
            self._drop_connection()
        return True

    def _drop_connection(self) -> None:
        self.close_connection = True
        try:
            # An abortive close (RST) is what a dropped connection looks like to a client.
            self.connection.setsockopt(
                socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00"
            )
            self.connection.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass

    # ----------------------------------------------------------------- control API

    def _control(self, method: str, path: str) -> None:
        simulator = self.simulator
        route = (method, path)
        if route == ("GET", "/_simulator/stats"):
            self._send_json(200, simulator.stats_json())
        elif route == ("GET", "/_simulator/clock"):
            self._send_json(200, simulator.clock_json())
        elif route == ("GET", "/_simulator/config"):
            self._send_json(200, simulator.config_json())
        elif route == ("GET", "/_simulator/stream"):
            self._send_json(200, simulator.streams_json())
        elif route == ("GET", "/_simulator/sellers"):
            self._send_json(200, {"sellers": simulator.sellers_json()})
        elif route == ("GET", "/_simulator/health"):
            self._send_json(200, {"status": "ok"})
        elif method == "GET" and (match := STORED_ORDER_PATH.match(path)):
            self._send_json(200, simulator.stored_order(match["order_id"]))
        elif method != "POST":
            raise ControlError(405, f"{method} is not supported on {path}.")
        elif match := ORDER_STATUS_PATH.match(path):
            self._send_json(200, simulator.set_status(match["order_id"], self._json_body()))
        else:
            self._control_post(path)

    def _control_post(self, path: str) -> None:
        simulator = self.simulator
        body = self._json_body()
        if path == "/_simulator/sellers":
            self._send_json(201, simulator.register_seller(body))
        elif path == "/_simulator/orders":
            self._send_json(201, simulator.create_order(body))
        elif path == "/_simulator/generate":
            self._send_json(201, simulator.generate(body))
        elif path == "/_simulator/stream":
            self._send_json(200, simulator.set_stream(body))
        elif path == "/_simulator/advance":
            self._send_json(200, simulator.advance(body))
        elif path == "/_simulator/faults":
            self._send_json(200, simulator.set_faults(body))
        elif path == "/_simulator/config":
            self._send_json(200, simulator.configure(body))
        elif path == "/_simulator/clock":
            self._send_json(200, simulator.set_clock(body))
        elif path == "/_simulator/tokens/expire":
            self._send_json(200, {"expired": simulator.expire_access_tokens()})
        elif path == "/_simulator/reset":
            simulator.reset()
            self._send_json(200, {"reset": True})
        elif path == "/_simulator/save":
            simulator.save()
            self._send_json(200, {"saved": simulator.state_file is not None})
        else:
            raise ControlError(404, f"No control endpoint {path}.")

    def _json_body(self) -> dict:
        raw = self._body
        if not raw.strip():
            return {}
        try:
            body = json.loads(raw)
        except ValueError:
            raise ControlError(400, "The request body is not valid JSON.") from None
        if not isinstance(body, dict):
            raise ControlError(400, "The request body must be a JSON object.")
        # Stored, such a string would make every later answer and save that carries it fail.
        where = jsontext.lone_surrogate_at(body)
        if where:
            raise ControlError(
                400, f"{where} holds a lone UTF-16 surrogate, which no UTF-8 text can carry."
            )
        return body

    # ----------------------------------------------------------------- plumbing

    def _read_body(self) -> bytes:
        length = int(self.headers.get("Content-Length") or 0)
        if length > MAX_BODY_BYTES:
            raise ControlError(413, "Request body too large.")
        return self.rfile.read(length) if length else b""

    def _send_json(self, status: int, body: dict, *, extra_headers: dict | None = None) -> None:
        self._send_bytes(status, jsontext.encode(body), "application/json", extra_headers)

    def _send_bytes(
        self, status: int, payload: bytes, content_type: str, extra_headers=None
    ) -> None:
        try:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(payload)))
            self.send_header("x-amzn-RequestId", str(uuid.uuid4()))
            for name, value in (extra_headers or {}).items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(payload)
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True
