// The "Sending" card on the Messages tab: the merchant's own SMTP server, or the operator's.
// The URL holds the password, so it is typed into a password field and never shown back.
import { gql } from "./api.js";
import { busy, field, h, toast } from "./dom.js";

const FIELDS = "ownServer dryRun host port username security";
const QUERY = `query { mailServer { ${FIELDS} } }`;
const UPDATE = `mutation Set($url: String) { updateMailServer(smtpUrl: $url) { ok error mailServer { ${FIELDS} } } }`;

export function mailServerCard() {
  const status = h("p", { class: "muted" }, "Loading…");
  const url = h("input", { type: "password", autocomplete: "off", placeholder: "smtp://user:password@mail.example.com:587?starttls=1" });
  const urlField = field("Your mail server (SMTP URL)", url, { hint: "smtps:// for TLS, ?starttls=1 for STARTTLS. Stored encrypted." });
  const error = urlField.querySelector(".field-error");
  const save = h("button", { type: "button", class: "primary", onclick: () => busy(save, submit(url.value)) }, "Use this server");
  const reset = h("button", { type: "button", onclick: () => busy(reset, submit(null)) }, "Use the app's server");

  function show(server) {
    if (server.ownServer) status.textContent = `Your server: ${server.username ? server.username + " at " : ""}${server.host}:${server.port} (${server.security}).`;
    else if (server.dryRun) status.textContent = "No mail server yet: messages are kept in the outbox and not sent (dry run).";
    else status.textContent = `The app's server: ${server.host}:${server.port} (${server.security}).`;
    reset.hidden = !server.ownServer;
  }

  async function submit(value) {
    error.textContent = "";
    const result = (await gql(UPDATE, { url: value })).updateMailServer;
    if (!result.ok) { error.textContent = result.error; url.focus(); return; }
    url.value = "";
    show(result.mailServer);
    toast(value ? "Customer e-mails now go through your server" : "Customer e-mails go through the app's server");
  }

  gql(QUERY).then((data) => show(data.mailServer)).catch((e) => { status.textContent = e.message; });
  return h("section", { class: "card", "aria-label": "Sending" },
    h("h2", {}, "Sending"), status, urlField, h("div", { class: "decide" }, reset, save));
}
