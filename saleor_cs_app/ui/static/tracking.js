// The Tracking tab: what late-delivery detection can see, the install backlog, AfterShip and DHL.
// Keys are typed into password fields and never shown back; the webhook URL is what to paste into AfterShip.
import { gql } from "./api.js";
import { banner, busy, clear, field, h, toast } from "./dom.js";
import { t, tn } from "./i18n.js";

const OVERVIEW = `query { tracking { saleorApiUrl recentDays recentFulfillments unfollowedFulfillments advice backlogCount
  services { name connected webhookUrl callsToday dailyCalls } } }`;
const CONNECT = `mutation C($key: String!, $secret: String!) { connectAftership(apiKey: $key, webhookSecret: $secret) { ok error webhookUrl } }`;
const CONNECT_DHL = `mutation C($key: String!) { connectDhl(apiKey: $key) { ok error } }`;
const TEST = `mutation T($service: String!) { testTrackingConnection(service: $service) { ok error } }`;
const RELEASE = `mutation { releaseBacklog }`;

export function mountTracking(panel) {
  const notices = h("div", { "aria-live": "polite" });
  const coverage = h("section", { class: "card", "aria-label": t("tracking.coverage") });
  const backlog = h("section", { class: "card", "aria-label": t("tracking.backlog") });
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

  function render(overview) {
    const aftershipService = overview.services.find((s) => s.name === "aftership");
    const unfollowed = overview.unfollowedFulfillments;
    // The server's `advice` is English; the same two cases are worded here in the page's language.
    const advice = !unfollowed ? null
      : tn(aftershipService.connected ? "tracking.advice_unregistered" : "tracking.advice_connect", unfollowed);
    clear(coverage, h("h2", {}, t("tracking.coverage")),
      h("p", {}, tn("tracking.unfollowed", overview.recentFulfillments, { unfollowed, days: overview.recentDays })),
      h("p", { class: "muted" }, t("tracking.coverage_note")),
      advice ? banner("warning", advice) : h("p", {}, t("tracking.all_followed")));

    const release = h("button", { type: "button", class: "primary", onclick: () => busy(release, releaseAll()) }, t("tracking.release_all"));
    clear(backlog, h("h2", {}, t("tracking.backlog")),
      overview.backlogCount
        ? h("p", {}, tn("tracking.backlog_waiting", overview.backlogCount))
        : h("p", { class: "muted" }, t("tracking.backlog_none")),
      overview.backlogCount ? h("div", { class: "row" }, release) : null);

    renderAfterShip(aftershipService);
    renderDhl(overview.services.find((s) => s.name === "dhl"));
  }

  function renderDhl(service) {
    const key = h("input", { type: "password", autocomplete: "off" });
    const keyField = field(t("tracking.dhl_key"), key, { hint: t("tracking.dhl_key_hint") });
    const error = keyField.querySelector(".field-error");
    const save = h("button", { type: "button", class: "primary", onclick: () => busy(save, connect()) }, t(service.connected ? "tracking.dhl_replace" : "tracking.dhl_connect"));
    const test = h("button", { type: "button", onclick: () => busy(test, check("dhl", "DHL")) }, t("tracking.dhl_test"));
    test.hidden = !service.connected;

    async function connect() {
      error.textContent = "";
      const result = (await gql(CONNECT_DHL, { key: key.value })).connectDhl;
      if (!result.ok) { error.textContent = result.error; return; }
      toast(t("tracking.dhl_connected"));
      await load();
    }

    clear(dhl, h("h2", {}, "DHL"),
      service.connected
        ? h("p", {}, tn("tracking.dhl_on", service.dailyCalls, { used: service.callsToday }))
        : h("p", { class: "muted" }, t("tracking.dhl_off")),
      keyField, h("div", { class: "row" }, save, test));
  }

  async function check(service, name) {
    const result = (await gql(TEST, { service })).testTrackingConnection;
    toast(result.ok ? t("tracking.key_accepted", { name }) : `${name}: ${result.error}`);
  }

  function renderAfterShip(service) {
    const key = h("input", { type: "password", autocomplete: "off" });
    const secret = h("input", { type: "password", autocomplete: "off" });
    const keyField = field(t("tracking.aftership_key"), key, { hint: t("tracking.aftership_key_hint") });
    const secretField = field(t("tracking.aftership_secret"), secret, { hint: t("tracking.aftership_secret_hint") });
    const error = secretField.querySelector(".field-error");
    const save = h("button", { type: "button", class: "primary", onclick: () => busy(save, connect()) }, t(service.connected ? "tracking.aftership_replace" : "tracking.aftership_connect"));
    const test = h("button", { type: "button", onclick: () => busy(test, check("aftership", "AfterShip")) }, t("tracking.aftership_test"));
    test.hidden = !service.connected;

    async function connect() {
      error.textContent = "";
      const result = (await gql(CONNECT, { key: key.value, secret: secret.value })).connectAftership;
      if (!result.ok) { error.textContent = result.error; return; }
      toast(t("tracking.aftership_connected"));
      await load();
    }

    clear(aftership, h("h2", {}, "AfterShip"),
      service.connected
        ? h("p", {}, t("tracking.aftership_on"), " ", h("code", {}, service.webhookUrl))
        : h("p", { class: "muted" }, t("tracking.aftership_off")),
      keyField, secretField, h("div", { class: "row" }, save, test));
  }

  async function releaseAll() {
    const released = (await gql(RELEASE)).releaseBacklog;
    toast(tn("tracking.released", released));
    await load();
  }

  load();
  return { refresh: load };
}
