"""SPEC §9 scenario 1: the install handshake as Saleor performs it."""

import json

from sqlalchemy import select

from saleor_cs_app.store.models import PolicyVersion, Tenant


def tenant_rows(runtime):
    with runtime.db.read() as session:
        rows = session.scalars(select(Tenant)).all()
        for row in rows:
            session.expunge(row)
        return rows


def test_install_from_manifest_url_stores_the_tenant_with_its_token_encrypted(installed, runtime):
    (tenant,) = tenant_rows(runtime)
    assert tenant.saleor_api_url == installed.api_url
    assert tenant.app_id == installed.app_id
    assert installed.app_token.encode() not in tenant.token_ciphertext, "token must be encrypted at rest"
    assert runtime.cipher.decrypt(tenant.token_ciphertext) == installed.app_token
    assert json.loads(tenant.jwks) == installed.jwks


def test_a_fresh_install_gets_the_default_policy(installed, runtime):
    with runtime.db.read() as session:
        (version,) = session.scalars(select(PolicyVersion)).all()
        assert version.version == 1 and version.created_by == "installation"


def test_install_from_a_saleor_outside_allowed_urls_is_refused_and_nothing_is_stored(saleor, runtime, app_listener):
    from saleor_cs_app import create_app

    runtime.settings = runtime.settings.with_changes(allowed_saleor_urls=("https://*.saleor.cloud/graphql/",))
    with app_listener.serving(create_app(runtime=runtime)) as server:
        response = saleor.install(f"{server.url}/api/manifest")
    assert response.status_code == 403
    assert response.json() == {
        "success": False,
        "error": {"code": "SALEOR_URL_PROHIBITED", "message": response.json()["error"]["message"]},
    }
    assert len(response.json()["error"]["message"]) < 255, "Saleor cannot store longer install errors"
    assert tenant_rows(runtime) == []


def test_register_with_a_token_saleor_does_not_know_is_refused(saleor, app_server, runtime):
    response = saleor.install(f"{app_server.url}/api/manifest")
    assert response.status_code == 200
    forged = _post_register(app_server.url, saleor.api_url, "x" * 30)
    assert forged.status_code == 401 and forged.json()["error"]["code"] == "UNKNOWN_APP_ID"
    (tenant,) = tenant_rows(runtime)
    assert runtime.cipher.decrypt(tenant.token_ciphertext) == saleor.app_token, "a refused register changes nothing"


def test_register_without_the_api_url_header_or_the_token_is_a_clear_400(app_server):
    import requests

    no_header = requests.post(f"{app_server.url}/api/register", json={"auth_token": "t" * 30}, timeout=5)
    assert no_header.status_code == 400 and no_header.json()["error"]["code"] == "MISSING_SALEOR_API_URL"
    no_token = requests.post(
        f"{app_server.url}/api/register", data="{not json", headers={"Saleor-Api-Url": "http://x/graphql/"}, timeout=5
    )
    assert no_token.status_code == 400 and no_token.json()["error"]["code"] == "MISSING_AUTH_TOKEN"


def test_reinstalling_replaces_the_old_token(installed, app_server, runtime):
    old_token = installed.app_token
    installed.uninstall()
    response = installed.install(f"{app_server.url}/api/manifest")
    assert response.status_code == 200
    (tenant,) = tenant_rows(runtime)
    assert installed.app_token != old_token
    assert runtime.cipher.decrypt(tenant.token_ciphertext) == installed.app_token
    assert tenant.uninstalled_at is None


def test_app_deleted_webhook_disables_the_tenant_and_drops_its_token(installed, runtime):
    response = installed.send_webhook(
        "APP_DELETED", {"issuedAt": "2026-11-27T10:00:00+00:00", "app": {"id": installed.app_id}}
    )
    assert response.status_code == 200
    runtime.jobs.drain()
    (tenant,) = tenant_rows(runtime)
    assert tenant.uninstalled_at is not None and tenant.token_ciphertext is None
    after = installed.send_webhook("ORDER_CREATED", {"order": None, "issuedAt": "2026-11-27T10:01:00+00:00"})
    assert after.status_code == 401, "an uninstalled tenant's webhooks are refused"


def test_uninstall_on_older_saleor_is_noticed_from_permission_errors(installed, runtime):
    from saleor_cs_app.jobs.incidents_flow import tenants_token_revoked

    (tenant,) = tenant_rows(runtime)
    assert not tenants_token_revoked(runtime, tenant), "a live token is not mistaken for an uninstall"
    installed.uninstall()
    assert tenants_token_revoked(runtime, tenant)
    (tenant,) = tenant_rows(runtime)
    assert tenant.token_ciphertext is None


def _post_register(app_url, api_url, token):
    import requests

    return requests.post(
        f"{app_url}/api/register",
        json={"auth_token": token},
        headers={"Saleor-Api-Url": api_url, "Saleor-Domain": api_url.split("/")[2]},
        timeout=10,
    )


def test_the_install_reads_the_shops_name_from_saleor_for_the_customers_page_and_emails(installed, runtime):
    from saleor_cs_app.store import brands

    runtime.jobs.drain()  # the install's first reconciliation
    with runtime.db.read() as session:
        (tenant,) = session.scalars(select(Tenant)).all()
        assert brands.find(session, tenant.id).saleor_name == "Saleor e-commerce"
        assert brands.brand(session, tenant.id, "Customer care").name == "Saleor e-commerce"
