// The "Sending" card on the Messages tab: the merchant's own SMTP server, or the operator's.
// The URL holds the password, so it is typed into a password field and never shown back.
import { gql } from "./api.js";
import { busy, field, h, toast } from "./dom.js";
import { t } from "./i18n.js";

const FIELDS = "ownServer dryRun host port username security";
const QUERY = `query { mailServer { ${FIELDS} } }`;
const UPDATE = `mutation Set($url: String) { updateMailServer(smtpUrl: $url) { ok error mailServer { ${FIELDS} } } }`;

export function mailServerCard() {
  const status = h("p", { class: "muted" }, t("mailserver.loading"));
  const url = h("input", { type: "password", autocomplete: "off", placeholder: "smtp://user:password@mail.example.com:587?starttls=1" });
  const urlField = field(t("mailserver.url"), url, { hint: t("mailserver.url_hint") });
  const error = urlField.querySelector(".field-error");
  const save = h("button", { type: "button", class: "primary", onclick: () => busy(save, submit(url.value)) }, t("mailserver.use_own"));
  const reset = h("button", { type: "button", onclick: () => busy(reset, submit(null)) }, t("mailserver.use_app"));

  function show(server) {
    const where = { user: server.username, server: `${server.host}:${server.port}`, security: server.security };
    if (server.ownServer) status.textContent = t(server.username ? "mailserver.own_user" : "mailserver.own", where);
    else if (server.dryRun) status.textContent = t("mailserver.dry_run");
    else status.textContent = t("mailserver.app", where);
    reset.hidden = !server.ownServer;
  }

  async function submit(value) {
    error.textContent = "";
    const result = (await gql(UPDATE, { url: value })).updateMailServer;
    if (!result.ok) { error.textContent = result.error; url.focus(); return; }
    url.value = "";
    show(result.mailServer);
    toast(t(value ? "mailserver.now_own" : "mailserver.now_app"));
  }

  gql(QUERY).then((data) => show(data.mailServer)).catch((e) => { status.textContent = e.message; });
  return h("section", { class: "card", "aria-label": t("mailserver.title") },
    h("h2", {}, t("mailserver.title")), status, urlField, h("div", { class: "decide" }, reset, save));
}
