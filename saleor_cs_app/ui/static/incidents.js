// The Incidents tab: filters, the list, and one incident with what happened, what the customer gets and why.
import { gql } from "./api.js";
import { notify, redirect } from "./bridge.js";
import { banner, clear, field, formatDate, h, select } from "./dom.js";
import { dueToShipCard } from "./due_to_ship.js";
import { decisionBlock, eventTitle, goodwillText, kindText, offerShort, stateText, timelineText } from "./explain.js";
import { t, tn } from "./i18n.js";
import { decideButtons, INCIDENT_FIELDS, toldList } from "./incident_parts.js";
import { periodSelect } from "./periods.js";
import { proposalPanel } from "./proposal.js";

const LIST = `query Incidents($state: String, $kind: IncidentKind, $channel: String, $from: Date, $to: Date, $after: String) {
  incidents(state: $state, kind: $kind, channel: $channel, dateFrom: $from, dateTo: $to, first: 25, after: $after) {
    totalCount hasNextPage endCursor channelChoices { slug name } items { id orderNumber kind state channel detectedAt offerType offerValue currency } } }`;
const DETAIL = `query Incident($id: ID!) { incident(id: $id) { ${INCIDENT_FIELDS} } }`;
const MOVING = new Set(["detected", "deciding", "acting", "notifying"]);
const KINDS = ["LATE_SHIPMENT", "LATE_DELIVERY", "ATTEMPT_FAILED", "PICKUP_WAITING", "HELD", "STALLED", "AT_RISK", "LOST", "RETURNED", "WRONG_ITEM",
  "CUSTOMER_REPORT"];  // the API's IncidentKind
const STATES = ["backlog", "detected", "pending_approval", "acting", "waiting_customer", "notifying", "notified", "handled", "declined", "failed", "dismissed"];

export function mountIncidents(panel) {
  let selected = null;
  let cursor = null;
  let poll = null;

  const state = select([["", t("filter.any_state")], ...STATES.map((s) => [s, stateText(s)])], "");
  const kind = select([["", t("filter.any_problem")], ...KINDS.map((k) => [k, kindText(k)])], "");
  const channel = select([["", t("filter.any_channel")]], "");
  const period = periodSelect(t);
  const notices = h("div");
  const summary = h("p", { class: "muted incident-count", role: "status" });
  const body = h("tbody");
  const more = h("button", { type: "button", hidden: true, onclick: () => load(true) }, t("incidents.more"));
  const detail = h("section", { class: "card detail", "aria-live": "polite", hidden: true });

  const filters = h("form", { class: "filters", onsubmit: (e) => { e.preventDefault(); load(false); } },
    field(t("filter.state"), state), field(t("filter.problem"), kind), field(t("filter.channel"), channel),
    field(t("filter.detected"), period.control),
    h("div", { class: "row" }, h("button", { type: "button", onclick: () => {
      for (const el of [state, kind, channel]) el.value = "";
      period.clear();
      load(false);
    } }, t("incidents.clear"))));
  for (const el of [state, kind, channel, period.control]) el.addEventListener("change", () => load(false));

  const layout = h("div", { class: "incidents-layout" },
    h("section", { class: "list", "aria-label": t("incidents.title") }, summary,
      h("table", {}, h("thead", {}, h("tr", {}, ["col.order", "col.problem", "col.state", "col.offer", "col.detected"]
        .map((k) => h("th", { scope: "col", class: k.slice(4) }, t(k))), h("th", { scope: "col" }, h("span", { class: "visually-hidden" }, t("col.decide"))))), body),
      h("div", { style: "margin-top:12px" }, more)),
    detail);
  // Orders due to ship lead the tab: acting on them keeps the next late shipment from happening.
  const due = dueToShipCard((id) => open(id));
  clear(panel, due.element, h("div", { class: "toolbar" }, h("h2", { class: "visually-hidden" }, t("incidents.title")), filters), notices, layout);

  async function load(append) {
    try {
      const variables = { state: state.value || null, kind: kind.value || null, channel: channel.value || null,
        ...period.range(), after: append ? cursor : null };
      const { incidents } = await gql(LIST, variables);
      cursor = incidents.endCursor;
      more.hidden = !incidents.hasNextPage;
      const chosen = channel.value;
      clear(channel, h("option", { value: "" }, t("filter.any_channel")), incidents.channelChoices.map((c) => h("option", { value: c.slug }, c.name)));
      channel.value = chosen;
      summary.textContent = tn("incidents.count", incidents.totalCount);
      const rows = incidents.items.map(listRow);
      if (append) body.append(...rows);
      else clear(body, rows.length ? rows : h("tr", {}, h("td", { colspan: 6, class: "empty" }, t("incidents.none"))));
      notices.replaceChildren();
    } catch (error) {
      clear(notices, banner("error", error.message));
    }
  }

  function listRow(item) {
    return h("tr", { dataset: { id: item.id }, class: item.id === selected ? "selected" : undefined },
      h("td", {}, h("button", { type: "button", class: "link-button", onclick: () => open(item.id),
        "aria-label": t("detail.heading", { number: item.orderNumber, kind: kindText(item.kind) }) }, `#${item.orderNumber}`)),
      h("td", {}, kindText(item.kind)),
      h("td", {}, h("span", { class: `badge ${item.state}` }, stateText(item.state))),
      h("td", { class: "offer" }, offerShort(item)),
      h("td", { class: "muted when" }, formatDate(item.detectedAt)),
      h("td", { class: "num" }, item.state === "pending_approval"  // one click, right where it is listed
        ? decideButtons(item, { compact: true, onDone: afterDecision, onError: showError }) : null));
  }

  async function open(id, quiet = false) {
    selected = id;
    clearTimeout(poll);
    detail.hidden = false;
    layout.classList.add("has-detail");
    for (const tr of body.querySelectorAll("tr")) tr.classList.toggle("selected", tr.dataset.id === id);
    try {
      const { incident } = await gql(DETAIL, { id });
      if (selected !== id) return;
      renderDetail(incident, quiet);
      const row = body.querySelector(`tr[data-id="${CSS.escape(id)}"]`);
      if (row) row.replaceWith(listRow(incident));
      if (MOVING.has(incident.state)) poll = setTimeout(() => open(id, true), 1500);  // the worker is on it
    } catch (error) {
      clear(detail, banner("error", error.message));
    }
  }

  function renderDetail(incident, quiet) {
    const { name } = { name: (sku) => incident.items.find((i) => i.sku === sku)?.name || sku };
    const facts = [
      [t("detail.state"), h("span", { class: `badge ${incident.state}` }, stateText(incident.state))],
      [t("detail.channel"), incident.channelName],
      [t("detail.reported_by"), t(`source.${incident.source}`)],
      incident.daysLate ? [t("detail.days_late"), tn("detail.days", incident.daysLate)] : null,
      incident.promisedDate ? [t("detail.promised"), formatDate(incident.promisedDate, false)] : null,
      incident.expectedSkus.length ? [t("detail.expected"), incident.expectedSkus.map(name).join(", ")] : null,
      incident.sentSkus.length ? [t("detail.sent"), incident.sentSkus.map(name).join(", ")] : null,
      incident.carrier ? [t("detail.carrier"), incident.carrier] : null,
      incident.warehouse ? [t("detail.warehouse"), incident.warehouse] : null,
      incident.customerEmail ? [t("detail.customer"), incident.customerEmail] : null,
      incident.note ? [t("detail.note"), incident.note] : null,
      goodwillText(incident) ? [t("detail.in_saleor"), goodwillText(incident)] : null,
    ].filter(Boolean);
    const orderLink = h("a", { class: "open-order", href: incident.orderUrl, target: "_blank", rel: "noopener", onclick: (e) => {
      e.preventDefault(); redirect(incident.dashboardPath);  // the dashboard navigates itself
    } }, t("detail.open_order", { number: incident.orderNumber }));
    const heading = h("h2", { tabindex: "-1" }, t("detail.heading", { number: incident.orderNumber, kind: kindText(incident.kind) }));
    clear(detail,
      heading, orderLink,
      h("dl", { class: "facts" }, facts.map(([k, v]) => [h("dt", {}, k), h("dd", {}, v)])),
      ...(incident.kind === "CUSTOMER_REPORT" && !incident.decision ? []  // the proposal panel says what was asked
        : [h("h3", {}, t("detail.decision")), h("div", { class: "banner info" }, decisionBlock(incident))]),
      incident.error ? banner("error", incident.error) : null,
      incident.kind === "CUSTOMER_REPORT" ? proposalPanel(incident, () => open(incident.id, true))
        : incident.state === "pending_approval" ? decideButtons(incident, { onDone: afterDecision, onError: showError }) : null,
      h("h3", { style: "margin-top:16px" }, t("detail.told")), toldList(incident),
      h("h3", { style: "margin-top:16px" }, t("detail.timeline")),
      h("ol", { class: "timeline" }, incident.timeline.map((e) => h("li", { class: e.type },
        h("div", {}, h("strong", {}, eventTitle(e.type)), " ", h("span", { class: "when" }, formatDate(e.at))),
        h("div", { class: "muted" }, timelineText(incident, e))))));
    if (!quiet) heading.focus();
  }

  async function afterDecision(incident, approved) {
    notify("success", t(approved ? "action.approved" : "action.declined", { number: incident.orderNumber }), offerShort(incident));
    await load(false);
    await open(incident.id);
  }

  async function showError(incident, error) {
    clear(notices, banner("error", error.message));
    await open(incident.id);
  }

  load(false);
  const asked = new URLSearchParams(location.search).get("incident");  // the report popup's link
  if (asked) open(asked);
  return { refresh() { due.refresh(); load(false); if (selected) open(selected, true); } };
}
