// A customer's report on the incident detail: what they reported, their photos, the fix they propose,
// and Accept / Counter / Decline in one click each. The counter-offer goes back to the customer's page.
import { gql } from "./api.js";
import { notify } from "./bridge.js";
import { banner, busy, EVENT_LABELS, field, formatMoney, h, KIND_LABELS, label, STATE_LABELS, toast } from "./dom.js";

Object.assign(KIND_LABELS, { customer_report: "Customer report", CUSTOMER_REPORT: "Customer report" });
Object.assign(STATE_LABELS, { waiting_customer: "Waiting for the customer" });
Object.assign(EVENT_LABELS, {
  proposal_accepted: "Proposal accepted", proposal_countered: "Counter-offer sent", proposal_declined: "Proposal declined",
  emailed_report_received: "E-mailed (report received)", emailed_proposal_accepted: "E-mailed (accepted)",
  emailed_proposal_declined: "E-mailed (declined)",
});

const PROBLEMS = { wrong_item: "Wrong item", damaged: "Damaged", missing_item: "Missing item or part", not_arrived: "Not arrived", other: "Something else" };
const FIXES = { keep_with_discount: "Keep it with a discount", replacement: "Send a replacement", refund: "Refund the items", shop_decides: "Let the shop decide" };
const PROPOSAL = `query Proposal($id: ID!) { incident(id: $id) { id state currency orderNumber proposal {
  problem resolution amount percent value affectedItems note state merchantNote
  counter { amount percent value currency note } photos { id url contentType width height } } } }`;
const ACCEPT = `mutation Accept($id: ID!) { acceptProposal(id: $id) { id state } }`;
const COUNTER = `mutation Counter($id: ID!, $amount: String, $percent: String, $note: String) {
  counterProposal(id: $id, amount: $amount, percent: $percent, note: $note) { id state } }`;
const DECLINE = `mutation Decline($id: ID!, $reason: String) { declineProposal(id: $id, reason: $reason) { id state } }`;

/** The panel for one customer report; `reopen` reloads the incident detail after an answer. */
export function proposalPanel(incident, reopen) {
  const box = h("div", { class: "proposal", "aria-live": "polite" }, h("p", { class: "muted" }, "Loading the customer's report…"));
  gql(PROPOSAL, { id: incident.id })
    .then(({ incident: found }) => box.replaceChildren(...render(found, reopen)))
    .catch((error) => box.replaceChildren(banner("error", error.message)));
  return box;
}

function render(incident, reopen) {
  const p = incident.proposal;
  if (!p) return [banner("info", "This report has no proposal.")];
  const currency = incident.currency || p.counter?.currency;
  const asked = p.resolution === "keep_with_discount"
    ? `${FIXES[p.resolution]}: ${p.percent ? `${p.percent} %` : formatMoney(p.amount, currency)}`
    : label(FIXES, p.resolution);
  const facts = [
    ["Problem", label(PROBLEMS, p.problem)],
    ["Items", p.affectedItems.join(", ")],
    p.note ? ["Customer's note", p.note] : null,
    ["Asks for", asked],
    p.value ? ["Costs", formatMoney(p.value, currency)] : null,
    p.counter ? ["Your counter-offer", `${formatMoney(p.counter.value, p.counter.currency)}${p.counter.note ? ` — “${p.counter.note}”` : ""}`] : null,
  ].filter(Boolean);
  const photos = p.photos.length
    ? h("div", { class: "photos", style: "display:flex;gap:8px;flex-wrap:wrap;margin:8px 0" }, p.photos.map((photo, i) =>
      h("a", { href: photo.url, target: "_blank", rel: "noopener" },
        h("img", { src: photo.url, alt: `Customer photo ${i + 1} of ${p.photos.length}`, width: 160,
          height: Math.round(160 * photo.height / photo.width), style: "border-radius:6px;object-fit:cover" }))))
    : h("p", { class: "muted" }, "No photos.");
  return [
    h("h3", { style: "margin-top:16px" }, "The customer's report"),
    h("dl", { class: "facts" }, facts.map(([k, v]) => [h("dt", {}, k), h("dd", {}, v)])),
    photos,
    incident.state === "pending_approval" ? answers(incident, p, reopen) : null,
    incident.state === "waiting_customer" ? banner("info", "Waiting for the customer to accept or decline your counter-offer.") : null,
  ];
}

function answers(incident, p, reopen) {
  const amount = h("input", { type: "text", inputmode: "decimal", placeholder: "e.g. 15" });
  const percent = h("input", { type: "text", inputmode: "decimal", placeholder: "e.g. 20" });
  const note = h("input", { type: "text", maxlength: 500, placeholder: "Shown to the customer" });
  const reason = h("input", { type: "text", maxlength: 500, placeholder: "Shown to the customer" });
  const act = (button, mutation, variables, done) => busy(button, gql(mutation, { id: incident.id, ...variables })
    .then(() => { toast(`${done}: order #${incident.orderNumber}`); notify("success", `${done} order #${incident.orderNumber}`, ""); })
    .catch((error) => { button.parentElement.append(banner("error", error.message)); })
    .finally(reopen));
  const accept = h("button", { type: "button", class: "primary", hidden: p.resolution === "shop_decides",
    onclick: () => act(accept, ACCEPT, {}, "Accepted") }, `Accept: ${label(FIXES, p.resolution).toLowerCase()}`);
  const counter = h("button", { type: "button", onclick: () => act(counter, COUNTER,
    { amount: amount.value.trim() || null, percent: percent.value.trim() || null, note: note.value.trim() || null }, "Counter-offer sent") },
    "Send counter-offer");
  const decline = h("button", { type: "button", class: "danger", onclick: () => act(decline, DECLINE,
    { reason: reason.value.trim() || null }, "Declined") }, "Decline");
  return h("div", { class: "actions" },
    h("p", {}, h("strong", {}, "Waiting for your answer. "), h("span", { class: "muted" }, "The customer is e-mailed whichever you choose.")),
    h("div", { class: "row" }, accept),
    h("div", { class: "row", style: "margin-top:8px;align-items:end" },
      field("Money off (amount)", amount), field("or percent of the items", percent), field("Note to the customer", note), counter),
    h("div", { class: "row", style: "margin-top:8px;align-items:end" }, field("Reason to decline", reason), decline));
}
