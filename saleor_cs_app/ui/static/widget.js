// The order page's widget (ORDER_DETAILS_WIDGETS): this order's incidents, what the customer was told and
// given, its parcels, and Approve / Decline for a pending offer. It asks the dashboard to fit its height.
import { gql } from "./api.js";
import { context, on, send, start } from "./bridge.js";
import { banner, clear, formatDate, h } from "./dom.js";
import { decisionBlock, goodwillText, kindText, stateText } from "./explain.js";
import { t, useLocale } from "./i18n.js";
import { decideButtons, INCIDENT_FIELDS, toldList } from "./incident_parts.js";

const ORDER = `query Order($id: ID!) { trackedOrder(orderId: $id) { number
  parcels { fulfillmentId trackingNumber state carrierStatus carrierStatusAt carrierExpectedDate }
  incidents { ${INCIDENT_FIELDS} } } }`;
const MOVING = new Set(["detected", "deciding", "acting", "notifying"]);
const root = document.getElementById("widget");
let poll = null;

function fit() {
  send("widgetResize", { height: Math.ceil(document.documentElement.scrollHeight) });
}
new ResizeObserver(fit).observe(document.body);

async function load() {
  clearTimeout(poll);
  if (!context.orderId) { clear(root, banner("error", t("widget.no_order"))); return; }
  try {
    const { trackedOrder: order } = await gql(ORDER, { id: context.orderId });
    render(order);
    if (order?.incidents.some((i) => MOVING.has(i.state))) poll = setTimeout(load, 2000);  // the worker is on it
  } catch (error) {
    clear(root, banner("error", error.message));
  }
}

function render(order) {
  if (!order) { clear(root, h("p", { class: "muted" }, t("widget.untracked"))); return; }
  clear(root,
    order.incidents.length ? order.incidents.map(incidentCard) : h("p", { class: "muted" }, t("widget.none")),
    order.parcels.length ? h("section", { class: "widget-block" }, h("h3", {}, t("widget.parcels")),
      h("ul", { class: "told" }, order.parcels.map(parcelLine))) : null);
}

function incidentCard(incident) {
  return h("section", { class: "widget-block", dataset: { incident: incident.id } },
    h("div", { class: "spread" }, h("h3", {}, kindText(incident.kind)),
      h("span", { class: `badge ${incident.state}` }, stateText(incident.state))),
    incident.kind === "CUSTOMER_REPORT" && !incident.decision ? null : decisionBlock(incident),
    goodwillText(incident) ? h("p", { class: "small" }, h("strong", {}, `${t("detail.in_saleor")}: `), goodwillText(incident)) : null,
    incident.state === "pending_approval" ? decideButtons(incident, { compact: true, onDone: load,
      onError: (_, error) => clear(root, banner("error", error.message)) }) : null,
    h("h4", {}, t("detail.told")), toldList(incident),
    h("p", { class: "muted small" }, t("widget.noticed", { when: formatDate(incident.detectedAt) })));
}

function parcelLine(parcel) {
  const state = parcel.state ? t(`delivery.${parcel.state}`) : t("delivery.unknown");
  const detail = [parcel.carrierStatus, parcel.carrierStatusAt ? formatDate(parcel.carrierStatusAt) : null,
    parcel.carrierExpectedDate ? t("delivery.expected", { date: formatDate(parcel.carrierExpectedDate, false) }) : null]
    .filter(Boolean).join(" · ");
  return h("li", {}, h("div", {}, h("strong", {}, parcel.trackingNumber || t("delivery.no_number")), ` — ${state}`),
    detail ? h("div", { class: "muted small" }, detail) : null);
}

if (start()) {
  let language = null;
  const speak = async (locale) => {
    const next = await useLocale(locale);
    if (next === language) return;
    language = next;
    load();
  };
  on("locale", speak);
  speak();
}
