from flask import current_app

from saleor_cs_app.runtime import Runtime


def current_runtime() -> Runtime:
    return current_app.extensions["runtime"]
