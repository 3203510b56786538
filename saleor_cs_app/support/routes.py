"""The blueprint: public pages under /support (the signed link is the key), staff photos by signed URL.

GET       /support/o/<token>               the order, its parcels and what is open
GET       /support/o/<token>/status.json   the live part of that page (polled by support.js)
GET|POST  /support/o/<token>/report        report a problem (works without JavaScript)
GET|POST  /support/o/<token>/request       before it ships: a later delivery or another variant
POST      /support/o/<token>/answer        accept or decline the shop's counter-offer
POST      /support/o/<token>/owed          a lost or returned parcel: a new parcel or the money back
GET|POST  /support/find/<shop key>         find an order by number and e-mail address
GET       /support/staff/photos/<tenant>/<photo>?e=…&s=…   a photo, for a signed URL from the dashboard API
GET       /support/brand/<tenant>/<version>/logo|accent.css   the shop's logo and accent colour (public)
"""

from __future__ import annotations

import logging

from flask import Blueprint
from werkzeug.exceptions import HTTPException

from saleor_cs_app.support import brand_assets, owed, pages
from saleor_cs_app.support.i18n import Translator
from saleor_cs_app.support.web import PageRefused, browser_language, refused_page, render

log = logging.getLogger(__name__)

blueprint = Blueprint(
    "support", __name__, template_folder="templates", static_folder="static", static_url_path="/support/static"
)
blueprint.add_url_rule("/support/o/<token>", "order", pages.order, methods=["GET"])
blueprint.add_url_rule("/support/o/<token>/status.json", "status", pages.status, methods=["GET"])
blueprint.add_url_rule("/support/o/<token>/report", "report", pages.report, methods=["GET", "POST"])
blueprint.add_url_rule("/support/o/<token>/request", "request", pages.change_request, methods=["GET", "POST"])
blueprint.add_url_rule("/support/o/<token>/answer", "answer", pages.answer, methods=["POST"])
blueprint.add_url_rule("/support/o/<token>/owed", "owed", owed.choose, methods=["POST"])
blueprint.add_url_rule("/support/find/<key>", "find", pages.find, methods=["GET", "POST"])
blueprint.add_url_rule(
    "/support/staff/photos/<int:tenant_id>/<photo_id>", "staff_photo", pages.staff_photo, methods=["GET"]
)

blueprint.add_url_rule("/support/brand/<int:tenant_id>/<int:version>/logo", "brand_logo", brand_assets.logo)
blueprint.add_url_rule(
    "/support/brand/<int:tenant_id>/<int:version>/accent.css", "brand_accent", brand_assets.accent_css
)


@blueprint.errorhandler(PageRefused)
def _refused(exc: PageRefused):
    return refused_page(exc)


@blueprint.errorhandler(HTTPException)
def _http(exc: HTTPException):
    # A friendly page, not the API's JSON error body: a customer reads this.
    t = Translator(browser_language())
    key = "too_large" if exc.code == 413 else "link_invalid"
    return render("support/error.html", exc.code or 400, t=t, message_key=key, find_url=None)
