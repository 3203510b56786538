// "Report a delivery problem" from an order's menu: a short form that opens an incident for that order.
import { gql } from "./api.js";
import { context, notify, send, start } from "./bridge.js";
import { banner, busy, checkbox, clear, field, h, KIND_LABELS, label, STATE_LABELS } from "./dom.js";

const ORDER = `query Order($id: ID!) { trackedOrder(orderId: $id) { number channel lines { sku name quantity }
  incidents { id kind state decision { reason } } } }`;
const REPORT = `mutation Report($orderId: ID!, $kind: IncidentKind!, $note: String, $expected: [String!], $sent: [String!]) {
  reportIncident(orderId: $orderId, kind: $kind, note: $note, expectedSkus: $expected, sentSkus: $sent) {
    created incident { id state kind offerType decision { reason } } } }`;
const STATUS = `query Incident($id: ID!) { incident(id: $id) { id state offerType decision { reason } } }`;

const root = document.getElementById("report");

function close() { send("popupClose"); }

async function main() {
  if (!context.orderId) {
    clear(root, banner("error", "Open this from an order: More actions → Report a delivery problem."));
    return;
  }
  let order;
  try {
    ({ trackedOrder: order } = await gql(ORDER, { id: context.orderId }));
  } catch (error) {
    clear(root, banner("error", error.message));
    return;
  }
  if (!order) {
    clear(root, banner("info", "The app does not track this order yet: Saleor has not sent its events, or it was placed before the app was installed."),
      h("button", { type: "button", onclick: close }, "Close"));
    return;
  }
  renderForm(order);
}

function renderForm(order) {
  const notices = h("div");
  const kinds = ["WRONG_ITEM", "LATE_SHIPMENT", "LATE_DELIVERY"].map((k, i) =>
    h("label", { class: "check" }, h("input", { type: "radio", name: "kind", value: k, checked: i === 0 }), label(KIND_LABELS, k)));
  const expected = order.lines.filter((l) => l.sku).map((l) => checkbox(`${l.name} (${l.sku}) × ${l.quantity}`, false, { value: l.sku }));
  const sent = h("input", { type: "text", placeholder: "e.g. SKU-HOODIE-L", autocomplete: "off" });
  const note = h("textarea", { rows: 3, placeholder: "What the customer told you" });
  const wrongItem = h("div", { class: "stack" },
    h("fieldset", {}, h("legend", { class: "legend" }, "Which items should have been sent?"), h("div", { class: "choices" }, expected),
      h("div", { class: "field-error", id: "expected-error", role: "alert" })),
    field("What was sent instead? (SKUs, comma-separated)", sent));
  const submit = h("button", { type: "submit", class: "primary" }, "Report problem");
  const existing = order.incidents.length ? banner("info", h("strong", {}, "Already reported for this order: "),
    order.incidents.map((i) => `${label(KIND_LABELS, i.kind)} (${label(STATE_LABELS, i.state)})`).join(", ")) : null;

  const form = h("form", { class: "stack", onsubmit: (event) => { event.preventDefault(); busy(submit, report()); } },
    h("p", { class: "muted" }, `Order #${order.number} · ${order.channel}`), existing,
    h("fieldset", {}, h("legend", { class: "legend" }, "What went wrong?"), h("div", { class: "row", style: "gap:16px" }, kinds)),
    wrongItem, field("Note (optional)", note), notices,
    h("div", { class: "row" }, submit, h("button", { type: "button", onclick: close }, "Cancel")));
  form.addEventListener("change", () => {
    wrongItem.hidden = chosenKind() !== "WRONG_ITEM";
    document.getElementById("expected-error").textContent = "";
  });
  clear(root, form);
  const chosenKind = () => form.querySelector('input[name="kind"]:checked').value;

  async function report() {
    const kind = chosenKind();
    const skus = expected.map((l) => l.querySelector("input")).filter((i) => i.checked).map((i) => i.value);
    if (kind === "WRONG_ITEM" && !skus.length) {
      document.getElementById("expected-error").textContent = "Tick the item that should have been sent.";
      expected[0]?.querySelector("input").focus();
      return;
    }
    try {
      const { reportIncident: result } = await gql(REPORT, {
        orderId: context.orderId, kind, note: note.value.trim() || null,
        expected: kind === "WRONG_ITEM" ? skus : null,
        sent: kind === "WRONG_ITEM" ? sent.value.split(",").map((s) => s.trim()).filter(Boolean) : null,
      });
      done(order, result);
    } catch (error) {
      clear(notices, banner("error", error.message));
    }
  }
}

function done(order, result) {
  const status = h("p", { role: "status" });
  const show = (incident) => {
    status.textContent = `${label(STATE_LABELS, incident.state)} — ${incident.decision ? incident.decision.reason : "deciding what to offer…"}`;
  };
  clear(root, banner("success", result.created ? `Reported. The app is handling order #${order.number}.`
    : `This problem was already reported for order #${order.number}.`), status,
    h("button", { type: "button", class: "primary", onclick: close }, "Close"));
  show(result.incident);
  if (result.created) notify("success", "Delivery problem reported", `Order #${order.number}`);
  let tries = 0;
  const poll = async () => {  // the decision comes from the worker a moment later
    if (++tries > 8) return;
    const { incident } = await gql(STATUS, { id: result.incident.id });
    show(incident);
    if (!incident.decision) setTimeout(poll, 1000);
  };
  if (!result.incident.decision) setTimeout(poll, 1000);
  root.querySelector("button.primary").focus();
}

if (start()) main();
