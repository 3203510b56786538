"""Manifest and the install handshake: what Saleor calls when a merchant installs the app."""

from __future__ import annotations

from flask import Blueprint, jsonify, request

from saleor_cs_app.http.runtime import current_runtime
from saleor_cs_app.manifest import build_manifest
from saleor_cs_app.http.register import parse_register_request, register

blueprint = Blueprint("install", __name__)


@blueprint.get("/api/manifest")
def manifest():
    return jsonify(build_manifest(current_runtime().settings))


@blueprint.post("/api/register")
def register_app():
    saleor_api_url, auth_token = parse_register_request(request.headers, request.get_json(silent=True))
    register(current_runtime(), saleor_api_url, auth_token, remote_addr=request.remote_addr)
    return jsonify(success=True)
