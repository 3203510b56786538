// The Incidents tab: filters, the list, and one incident with its timeline and Approve / Decline.
import { gql } from "./api.js";
import { notify, redirect } from "./bridge.js";
import { t } from "./i18n.js";
import { periodSelect } from "./periods.js";
import { banner, busy, clear, EVENT_LABELS, field, formatDate, formatMoney, h, KIND_LABELS, label, OFFER_LABELS, select, STATE_LABELS, toast } from "./dom.js";

const FIELDS = `id orderId orderNumber orderUrl dashboardPath channel kind source state daysLate detectedAt customerEmail
  carrier warehouse promisedDate expectedSkus sentSkus note offerType offerValue currency error
  decision { offerType offerValue currency rule reason blockedBy needsApproval goodwill }`;
const LIST = `query Incidents($state: String, $kind: IncidentKind, $channel: String, $from: Date, $to: Date, $after: String) {
  incidents(state: $state, kind: $kind, channel: $channel, dateFrom: $from, dateTo: $to, first: 25, after: $after) {
    totalCount hasNextPage endCursor channels items { id orderNumber kind state channel detectedAt offerType offerValue currency } } }`;
const DETAIL = `query Incident($id: ID!) { incident(id: $id) { ${FIELDS} timeline { at type message } } }`;
const APPROVE = `mutation Approve($id: ID!) { approveIncident(id: $id) { id state } }`;
const DECLINE = `mutation Decline($id: ID!, $reason: String) { declineIncident(id: $id, reason: $reason) { id state } }`;
const MOVING = new Set(["detected", "deciding", "acting", "notifying"]);

export function mountIncidents(panel) {
  let selected = null;
  let cursor = null;
  let poll = null;
  let layout = null;

  const state = select([["", "Any state"], ...Object.entries(STATE_LABELS).filter(([k]) => k !== "deciding")], "");
  const kind = select([["", "Any problem"], ["LATE_SHIPMENT", "Late shipment"], ["LATE_DELIVERY", "Late delivery"], ["WRONG_ITEM", "Wrong item"]], "");
  const channel = select([["", "Any channel"]], "");
  const period = periodSelect(t);
  const notices = h("div");
  const summary = h("p", { class: "muted", role: "status" });
  const body = h("tbody");
  const more = h("button", { type: "button", hidden: true, onclick: () => busy(more, load(true)) }, "Load more");
  const detail = h("section", { class: "card", "aria-live": "polite", hidden: true });

  const filters = h("form", { class: "filters", onsubmit: (e) => { e.preventDefault(); load(false); } },
    field("State", state), field("Problem", kind), field("Channel", channel), field("Detected", period.control),
    h("div", { class: "row" },
      h("button", { type: "button", onclick: () => { for (const el of [state, kind, channel]) el.value = ""; period.clear(); load(false); } }, "Clear filters")));
  for (const el of [state, kind, channel, period.control]) el.addEventListener("change", () => load(false));

  clear(panel,
    h("div", { class: "card" }, h("h2", {}, "Incidents"), filters),
    notices,
    layout = h("div", { class: "incidents-layout" },
      h("section", { class: "card", "aria-label": "Incident list" }, summary,
        h("table", {}, h("thead", {}, h("tr", {}, ["Order", "Problem", "State", "Offer", "Detected"].map((t) => h("th", { scope: "col" }, t)))), body),
        h("div", { style: "margin-top:12px" }, more)),
      detail));

  async function load(append) {
    try {
      const variables = { state: state.value || null, kind: kind.value || null, channel: channel.value || null,
        ...period.range(), after: append ? cursor : null };
      const { incidents } = await gql(LIST, variables);
      cursor = incidents.endCursor;
      more.hidden = !incidents.hasNextPage;
      const chosen = channel.value;
      clear(channel, h("option", { value: "" }, "Any channel"), incidents.channels.map((c) => h("option", { value: c }, c)));
      channel.value = chosen;
      summary.textContent = `${incidents.totalCount} incident${incidents.totalCount === 1 ? "" : "s"}`;
      const rows = incidents.items.map(listRow);
      if (append) body.append(...rows);
      else clear(body, rows.length ? rows : h("tr", {}, h("td", { colspan: 5, class: "empty" }, "No incidents match these filters.")));
      notices.replaceChildren();
    } catch (error) {
      clear(notices, banner("error", error.message));
    }
  }

  function listRow(item) {
    return h("tr", { dataset: { id: item.id }, class: item.id === selected ? "selected" : undefined },
      h("td", {}, h("button", { type: "button", class: "link-button", onclick: () => open(item.id),
        "aria-label": `Order ${item.orderNumber}, ${label(KIND_LABELS, item.kind)}` }, `#${item.orderNumber}`)),
      h("td", {}, label(KIND_LABELS, item.kind)),
      h("td", {}, h("span", { class: `badge ${item.state}` }, label(STATE_LABELS, item.state))),
      h("td", {}, offerText(item.offerType, item.offerValue, item.currency)),
      h("td", { class: "muted" }, formatDate(item.detectedAt)));
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
    const d = incident.decision;
    const facts = [
      ["State", h("span", { class: `badge ${incident.state}` }, label(STATE_LABELS, incident.state))],
      ["Channel", incident.channel],
      ["Reported by", label({ deadline: "Promise calendar", carrier: "Carrier", pack_scan: "Packing scan", staff: "Staff", customer: "Customer" }, incident.source)],
      incident.daysLate ? ["Days late", `${incident.daysLate} business day${incident.daysLate === 1 ? "" : "s"}`] : null,
      incident.promisedDate ? ["Promised", formatDate(incident.promisedDate, false)] : null,
      incident.expectedSkus.length ? ["Expected", incident.expectedSkus.join(", ")] : null,
      incident.sentSkus.length ? ["Sent", incident.sentSkus.join(", ")] : null,
      incident.carrier ? ["Carrier", incident.carrier] : null,
      incident.warehouse ? ["Warehouse", incident.warehouse] : null,
      incident.customerEmail ? ["Customer", incident.customerEmail] : null,
      incident.note ? ["Note", incident.note] : null,
      ["Offer", offerText(incident.offerType, incident.offerValue, incident.currency)],
      d?.goodwill ? ["In Saleor", d.goodwill] : null,
    ].filter(Boolean);
    const orderLink = h("a", { href: incident.orderUrl, target: "_blank", rel: "noopener", onclick: (e) => {
      e.preventDefault(); redirect(incident.dashboardPath);  // the dashboard navigates itself
    } }, `Open order #${incident.orderNumber} in the dashboard`);
    const heading = h("h2", { tabindex: "-1" }, `Order #${incident.orderNumber} — ${label(KIND_LABELS, incident.kind)}`);
    clear(detail,
      heading, orderLink,
      h("dl", { class: "facts" }, facts.map(([k, v]) => [h("dt", {}, k), h("dd", {}, v)])),
      d ? h("div", { class: "banner info" }, h("strong", {}, "Decision: "), d.reason) : null,
      incident.error ? banner("error", incident.error) : null,
      incident.state === "pending_approval" ? actions(incident) : null,
      h("h3", { style: "margin-top:16px" }, "Timeline"),
      h("ol", { class: "timeline" }, incident.timeline.map((e) => h("li", { class: e.type },
        h("div", {}, h("strong", {}, label(EVENT_LABELS, e.type)), " ", h("span", { class: "when" }, formatDate(e.at))),
        h("div", { class: "muted" }, e.message)))));
    if (!quiet) heading.focus();
  }

  function actions(incident) {
    const reason = h("input", { type: "text", placeholder: "Optional, for your records" });
    const approve = h("button", { type: "button", class: "primary", onclick: () => busy(approve, act(APPROVE, { id: incident.id }, "Approved", incident)) },
      `Approve ${offerText(incident.offerType, incident.offerValue, incident.currency).toLowerCase()}`);
    const decline = h("button", { type: "button", class: "danger", onclick: () => busy(decline, act(DECLINE, { id: incident.id, reason: reason.value || null }, "Declined", incident)) },
      "Decline (apology only)");
    return h("div", { class: "actions" },
      h("p", {}, h("strong", {}, "Waiting for your approval. "), h("span", { class: "muted" }, "Either way the customer gets the apology e-mail.")),
      h("div", { class: "row" }, approve),
      h("div", { class: "row", style: "margin-top:8px;align-items:end" }, field("Reason to decline", reason), decline));
  }

  async function act(mutation, variables, done, incident) {
    try {
      await gql(mutation, variables);
      toast(`${done}: order #${incident.orderNumber}`);
      notify("success", `${done} order #${incident.orderNumber}`, label(OFFER_LABELS, incident.offerType));
      await load(false);
      await open(incident.id);
    } catch (error) {
      clear(notices, banner("error", error.message));
      await open(incident.id);
    }
  }

  load(false);
  return { refresh() { load(false); if (selected) open(selected, true); } };
}

function offerText(type, value, currency) {
  if (!type) return "—";
  if (type === "apology_only" || !value || Number(value) === 0) return label(OFFER_LABELS, type);
  return `${label(OFFER_LABELS, type)} ${formatMoney(value, currency)}`;
}
