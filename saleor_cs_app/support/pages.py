"""The customer's pages: the order, its live status, the report form, answers to offers, the look-up.

Thin: each view verifies the link (web.order_page), reads or calls one use-case, and renders.
"""

from __future__ import annotations

from datetime import timedelta

from flask import jsonify, make_response, redirect, render_template, request
from werkzeug.exceptions import RequestEntityTooLarge

from saleor_cs_app.http.runtime import current_runtime
from saleor_cs_app.jobs import proposals_flow
from saleor_cs_app.links import support_url
from saleor_cs_app.store import support_reports
from saleor_cs_app.store.models import Tenant
from saleor_cs_app.support import csrf, lookup, owed, photos, report_form, reports, request_form, staff_photos
from saleor_cs_app.support.i18n import Translator
from saleor_cs_app.support.web import (
    PageRefused,
    active_api_url,
    browser_language,
    check_csrf,
    client_ip,
    form_expired,
    order_page,
    photo_store,
    render,
)

MAX_REPORT_BODY = photos.MAX_PHOTOS * photos.MAX_BYTES + 64 * 1024


def order(token: str):
    page = order_page(token)
    return render(
        "support/order.html",
        page=page,
        t=page.t,
        csrf_scope=token,
        notice=request.args.get("done"),
        owed=owed.cards(page),
    )


def status(token: str):
    """The page's live part, for the script that refreshes it without reloading."""
    page = order_page(token)
    runtime = current_runtime()
    cookie, _ = csrf.cookie_value(request)
    html = render_template(
        "support/_status.html",
        page=page,
        t=page.t,
        csrf_token=csrf.form_token(runtime.settings.secret_key, cookie, token),
    )
    response = jsonify(html=html)
    response.headers["Cache-Control"] = "no-store"
    return response


def report(token: str):
    page = order_page(token)
    if request.method == "GET":
        return _report_form(page, {}, {})
    request.max_content_length = MAX_REPORT_BODY
    try:
        form = request.form
        files = request.files
    except RequestEntityTooLarge:
        return _report_form(page, {"upload": "too_large"}, {}, status=413)
    if check_csrf(token):
        line_ids = {line.line_id for line in page.view.lines}
        parsed, errors = report_form.read(form, files, order_line_ids=line_ids, allowed_fixes=page.allowed_fixes)
    else:  # nothing of it is read, but the answers come back filled in and the photos are checked
        parsed, errors = None, {"form": "form_expired"}
        if report_form.too_many_photos(files):
            errors["photos"] = "err_photos_count"
    cleaned, photo_errors = _clean_photos(files.getlist("photos"), page.t)
    if errors or photo_errors:
        # A browser cannot refill a file field: a form sent back with photos we would have taken asks for them
        # again (a refused file is named by its own error, and the line then speaks of the others). Too many
        # photos: the field's own error says how many to add back, not "add them again".
        again = bool(cleaned) and "photos" not in errors
        return _report_form(page, errors, form, photo_errors=photo_errors, photos_again=again, status=400)
    try:
        reports.submit(current_runtime(), photo_store(), page.link.tenant_id, page.link.order_id, parsed, cleaned)
    except reports.ReportRefused as exc:
        status = 409 if exc.key == "err_line_taken" else 400
        return _report_form(page, {exc.field: exc.key}, form, photos_again=bool(cleaned), status=status)
    return redirect(f"/support/o/{token}?done=sent", 303)


def _clean_photos(uploads, t: Translator):
    cleaned, errors = [], []
    for upload in uploads[: photos.MAX_PHOTOS + 1]:
        if not upload.filename:
            continue
        name = upload.filename[:80]
        try:
            cleaned.append(photos.clean(upload.stream.read(photos.MAX_BYTES + 1)))
        except photos.PhotoRefused as exc:
            errors.append(t(exc.reason, name=name))
    return cleaned, errors


def _report_form(page, errors: dict, form, *, photo_errors=(), photos_again: bool = False, status: int = 200):
    return render(
        "support/report.html",
        status,
        page=page,
        t=page.t,
        csrf_scope=page.token,
        errors=errors,
        photo_errors=list(photo_errors),
        photos_again=photos_again,
        form=form,
    )


def change_request(token: str):
    """Before it ships: ask for a later delivery or another variant of a line."""
    page = order_page(token)
    if request.method == "GET":
        return _request_form(page, {}, {})
    if not check_csrf(token):
        return _request_form(page, {"form": "form_expired"}, request.form, status=400)
    line_ids = {line.line_id for line in page.view.lines}
    today = current_runtime().clock().date()
    change, errors = request_form.read(request.form, order_line_ids=line_ids, today=today)
    if errors:
        return _request_form(page, errors, request.form, status=400)
    try:
        reports.submit_request(current_runtime(), page.link.tenant_id, page.link.order_id, change)
    except reports.ReportRefused as exc:
        return _request_form(page, {exc.field: exc.key}, request.form, status=409)
    return redirect(f"/support/o/{token}?done=requested", 303)


def _request_form(page, errors: dict, form, *, status: int = 200):
    today = current_runtime().clock().date()
    return render(
        "support/request.html",
        status,
        page=page,
        t=page.t,
        csrf_scope=page.token,
        errors=errors,
        form=form,
        today=today.isoformat(),
        last_day=(today + timedelta(days=request_form.MAX_DAYS_AHEAD)).isoformat(),
    )


def answer(token: str):
    """The customer accepts or declines the shop's counter-offer."""
    page = order_page(token)
    if not check_csrf(token):
        return form_expired(page)
    choice = request.form.get("answer")
    report_id = (request.form.get("report") or "")[:40]
    if choice not in ("accept", "decline"):
        return form_expired(page)
    try:
        proposals_flow.customer_answer(
            current_runtime(), page.link.tenant_id, page.link.order_id, report_id, accepted=choice == "accept"
        )
    except (proposals_flow.NotAnswerable, proposals_flow.LimitReached, LookupError):
        pass  # answered already (a second click), or nothing to answer: the page shows where it stands
    return redirect(f"/support/o/{token}?done=answered", 303)


def find(key: str):
    runtime = current_runtime()
    tenant_id = lookup.tenant_of_shop_key(runtime.settings.secret_key, key, active_api_url)
    t = Translator(request.args.get("lang") or browser_language())
    if tenant_id is None:
        raise PageRefused(404, "link_invalid", language=t.language)
    scope = lookup.form_scope(key)
    if request.method == "GET":
        return render("support/find.html", t=t, csrf_scope=scope, error=None, form={})
    if not check_csrf(scope):
        return render("support/find.html", 400, t=t, csrf_scope=scope, error="form_expired", form=request.form)
    try:
        order_id = lookup.find_order(
            runtime, tenant_id, request.form.get("number", ""), request.form.get("email", ""), client_ip()
        )
    except lookup.TooManyAttempts:
        return render("support/find.html", 429, t=t, csrf_scope=scope, error="too_many", form=request.form)
    if order_id is None:
        # The same page for an unknown order and a wrong address, the typed values not echoed either.
        return render("support/find.html", 404, t=t, csrf_scope=scope, error="find_failed", form={})
    with runtime.db.read() as session:
        tenant = session.get_one(Tenant, tenant_id)
        url = support_url(runtime.settings, tenant, order_id, runtime.clock())
    return redirect(url.removeprefix(runtime.settings.app_url), 303)


def staff_photo(tenant_id: int, photo_id: str):
    runtime = current_runtime()
    ok = staff_photos.verify(
        runtime.settings.secret_key,
        tenant_id,
        photo_id,
        request.args.get("e", ""),
        request.args.get("s", ""),
        runtime.clock(),
    )
    if not ok:
        return jsonify(success=False, error={"code": "UNAUTHENTICATED", "message": "Link expired or invalid"}), 401
    with runtime.db.read() as session:
        photo = support_reports.photo(session, tenant_id, photo_id)
        found = (photo.storage_key, photo.content_type) if photo is not None else None
    if found is None:
        return jsonify(success=False, error={"code": "NOT_FOUND", "message": "No such photo"}), 404
    response = make_response(photo_store().get(found[0]))
    response.headers["Content-Type"] = found[1]
    response.headers["Cache-Control"] = "private, no-store"
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
