// The Tracking tab: what late-delivery detection can see, the install backlog, AfterShip and DHL.
// Keys are typed into password fields and never shown back; the webhook URL is what to paste into AfterShip.
import { gql } from "./api.js";
import { banner, busy, clear, field, h, toast } from "./dom.js";

const OVERVIEW = `query { tracking { saleorApiUrl recentDays recentFulfillments unfollowedFulfillments advice backlogCount
  services { name connected webhookUrl callsToday dailyCalls } } }`;
const CONNECT = `mutation C($key: String!, $secret: String!) { connectAftership(apiKey: $key, webhookSecret: $secret) { ok error webhookUrl } }`;
const CONNECT_DHL = `mutation C($key: String!) { connectDhl(apiKey: $key) { ok error } }`;
const TEST = `mutation T($service: String!) { testTrackingConnection(service: $service) { ok error } }`;
const RELEASE = `mutation { releaseBacklog }`;

export function mountTracking(panel) {
  const notices = h("div", { "aria-live": "polite" });
  const coverage = h("section", { class: "card", "aria-label": "Late-delivery detection" });
  const backlog = h("section", { class: "card", "aria-label": "Install backlog" });
  const aftership = h("section", { class: "card", "aria-label": "AfterShip" });
  const dhl = h("section", { class: "card", "aria-label": "DHL" });
  clear(panel, notices, coverage, backlog, aftership, dhl);

  async function load() {
    try {
      render((await gql(OVERVIEW)).tracking);
      notices.replaceChildren();
    } catch (error) {
      clear(notices, banner("error", error.message));
    }
  }

  function render(t) {
    clear(coverage, h("h2", {}, "Late-delivery detection"),
      h("p", {}, `${t.unfollowedFulfillments} of ${t.recentFulfillments} parcels shipped in the last ${t.recentDays} days are followed by no tracking source.`),
      h("p", { class: "muted" }, "The app only says a parcel is late when a tracking source reports a problem, or follows it and has not seen it delivered by its deadline."),
      t.advice ? banner("warning", t.advice) : h("p", {}, "Every recent parcel is followed."));

    const release = h("button", { type: "button", class: "primary", onclick: () => busy(release, releaseAll()) }, "Release all");
    clear(backlog, h("h2", {}, "Install backlog"),
      t.backlogCount
        ? h("p", {}, `${t.backlogCount} order(s) were already late when you installed the app. Nothing is sent or given for them until you release them (all at once here, or one by one with Approve on the Incidents tab) — or dismiss them there.`)
        : h("p", { class: "muted" }, "Nothing waiting."),
      t.backlogCount ? h("div", { class: "row" }, release) : null);

    renderAfterShip(t.services.find((s) => s.name === "aftership"));
    renderDhl(t.services.find((s) => s.name === "dhl"));
  }

  function renderDhl(service) {
    const key = h("input", { type: "password", autocomplete: "off" });
    const keyField = field("DHL API key", key, { hint: "developer.dhl.com: Shipment Tracking – Unified. Stored encrypted." });
    const error = keyField.querySelector(".field-error");
    const save = h("button", { type: "button", class: "primary", onclick: () => busy(save, connect()) }, service.connected ? "Replace key" : "Connect DHL");
    const test = h("button", { type: "button", onclick: () => busy(test, check("dhl", "DHL")) }, "Test DHL");
    test.hidden = !service.connected;

    async function connect() {
      error.textContent = "";
      const result = (await gql(CONNECT_DHL, { key: key.value })).connectDhl;
      if (!result.ok) { error.textContent = result.error; return; }
      toast("DHL connected");
      await load();
    }

    clear(dhl, h("h2", {}, "DHL"),
      service.connected
        ? h("p", {}, `Connected. DHL parcels are polled as their deadlines need: ${service.callsToday} of ${service.dailyCalls} calls used today.`)
        : h("p", { class: "muted" }, "Connect your DHL API key and the app polls DHL parcels itself."),
      keyField, h("div", { class: "row" }, save, test));
  }

  async function check(service, name) {
    const result = (await gql(TEST, { service })).testTrackingConnection;
    toast(result.ok ? `${name} accepts the key` : `${name}: ${result.error}`);
  }

  function renderAfterShip(service) {
    const key = h("input", { type: "password", autocomplete: "off" });
    const secret = h("input", { type: "password", autocomplete: "off" });
    const keyField = field("AfterShip API key", key, { hint: "AfterShip: Settings → API keys. Stored encrypted." });
    const secretField = field("Webhook secret", secret, { hint: "AfterShip: Settings → Webhooks. Stored encrypted." });
    const error = secretField.querySelector(".field-error");
    const save = h("button", { type: "button", class: "primary", onclick: () => busy(save, connect()) }, service.connected ? "Replace keys" : "Connect AfterShip");
    const test = h("button", { type: "button", onclick: () => busy(test, check("aftership", "AfterShip")) }, "Test connection");
    test.hidden = !service.connected;

    async function connect() {
      error.textContent = "";
      const result = (await gql(CONNECT, { key: key.value, secret: secret.value })).connectAftership;
      if (!result.ok) { error.textContent = result.error; return; }
      toast("AfterShip connected");
      await load();
    }

    clear(aftership, h("h2", {}, "AfterShip"),
      service.connected
        ? h("p", {}, "Connected. Paste this URL into AfterShip (Settings → Webhooks): ", h("code", {}, service.webhookUrl))
        : h("p", { class: "muted" }, "Connect AfterShip and the app registers every shipped parcel there and hears each checkpoint."),
      keyField, secretField, h("div", { class: "row" }, save, test));
  }

  async function releaseAll() {
    const released = (await gql(RELEASE)).releaseBacklog;
    toast(`${released} order(s) released`);
    await load();
  }

  load();
  return { refresh: load };
}
