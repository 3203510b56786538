"""A loopback HTTP server for a stand-in's WSGI app, on a free port, quiet, stopped on exit; and the
base of the stand-ins that serve themselves on one (AfterShip, DHL)."""

from __future__ import annotations

import threading

from werkzeug.serving import WSGIRequestHandler, make_server
from werkzeug.wrappers import Request, Response


class _Quiet(WSGIRequestHandler):
    def log_request(self, *args, **kwargs):
        pass


class StandInServer:
    def __init__(self, wsgi):
        self._server = make_server("127.0.0.1", 0, wsgi, threaded=True, request_handler=_Quiet)
        self._server.block_on_close = False
        threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True).start()

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self._server.server_port}"

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()


class LoopbackStandIn:
    """A stand-in that serves itself on a StandInServer for a `with` block; subclasses answer `_handle`."""

    _server: StandInServer | None = None

    def __enter__(self):
        self._server = StandInServer(self._wsgi)
        return self

    def __exit__(self, *exc):
        self._server.stop()

    @property
    def base(self) -> str:
        return self._server.base

    def _wsgi(self, environ, start_response):
        return self._handle(Request(environ))(environ, start_response)

    def _handle(self, request: Request) -> Response:
        raise NotImplementedError
