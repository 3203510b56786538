import pytest

from saleor_cs_app.saleor.admission import admit
from saleor_cs_app.settings import SettingsError, load_settings

BASE = {"SECRET_KEY": "k" * 32}


def test_defaults_are_the_embedded_setup(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    settings = load_settings({}, dotenv=False)
    assert settings.database_url == "sqlite:///saleor-cs-app.db"
    assert settings.uses_embedded_queue
    assert (tmp_path / "saleor-cs-app.secret").exists(), "embedded default keeps a generated key"
    assert load_settings({}, dotenv=False).secret_key == settings.secret_key, "the key is generated once"


@pytest.mark.parametrize(
    "env, message",
    [
        ({"DATABASE_URL": "not a url"}, "DATABASE_URL"),
        ({"DATABASE_URL": "mysql://x/y"}, "DATABASE_URL"),
        ({"APP_URL": "ftp://x"}, "APP_URL"),
        ({"REDIS_URL": "http://x"}, "REDIS_URL"),
        ({"SMTP_URL": "http://mail"}, "SMTP_URL"),
        ({"LOG_LEVEL": "LOUD"}, "LOG_LEVEL"),
        ({"MAIL_FROM": "nobody"}, "MAIL_FROM"),
        ({"SECRET_KEY": "short"}, "SECRET_KEY"),
        ({"ALLOWED_SALEOR_URLS": "shop.saleor.cloud"}, "ALLOWED_SALEOR_URLS"),
        ({"ALLOWED_SALEOR_URLS": "https://shop.saleor.cloud/graphql/, all"}, "ALLOWED_SALEOR_URLS"),
    ],
)
def test_a_bad_value_is_one_line_naming_the_variable(env, message):
    with pytest.raises(SettingsError) as error:
        load_settings({**BASE, **env}, dotenv=False)
    assert str(error.value).startswith(message)
    assert "\n" not in str(error.value)


def test_postgres_needs_an_explicit_secret_key():
    with pytest.raises(SettingsError, match="SECRET_KEY"):
        load_settings({"DATABASE_URL": "postgresql://localhost/test"}, dotenv=False)


def test_postgres_urls_use_psycopg3():
    settings = load_settings({**BASE, "DATABASE_URL": "postgresql://u:p@localhost/test"}, dotenv=False)
    assert settings.database_url.startswith("postgresql+psycopg://u:p@")


def test_smtp_url_is_parsed_and_its_password_is_not_in_the_repr():
    settings = load_settings({**BASE, "SMTP_URL": "smtp://me:hunter2@mail.example:2525?starttls=1"}, dotenv=False)
    assert (settings.smtp.host, settings.smtp.port, settings.smtp.starttls) == ("mail.example", 2525, True)
    assert "hunter2" not in repr(settings)


def test_allowed_saleor_url_patterns_do_not_stretch_across_hosts():
    settings = load_settings({**BASE, "ALLOWED_SALEOR_URLS": "https://*.saleor.cloud/graphql/"}, dotenv=False)

    def allowed(url):
        return admit(settings.allowed_saleor_urls, settings.app_url, url).allowed

    assert allowed("https://shop.saleor.cloud/graphql/")
    assert not allowed("https://evil.example/x.saleor.cloud/graphql/")
    assert not allowed("https://evil.example/graphql/")


def test_allowed_saleor_urls_is_empty_by_default_and_star_opts_into_anyone():
    assert load_settings(BASE, dotenv=False).allowed_saleor_urls == ()
    settings = load_settings({**BASE, "ALLOWED_SALEOR_URLS": " * , https://shop.example/graphql/ "}, dotenv=False)
    assert settings.allowed_saleor_urls == ("*", "https://shop.example/graphql/")
