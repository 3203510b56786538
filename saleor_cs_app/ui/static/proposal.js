// A customer's report on the incident detail: what they reported, their photos, the fix they propose,
// and Accept / Counter / Decline in one click each. The counter-offer goes back to the customer's page.
import { gql } from "./api.js";
import { notify } from "./bridge.js";
import { banner, busy, clear, field, formatMoney, formatPercent, h, toast } from "./dom.js";
import { t } from "./i18n.js";

// The customer's words for the problem and the fix: t("proposal.problem.<x>"), t("proposal.fix.<x>").
const named = (group, value) => {
  const key = `proposal.${group}.${value}`;
  return t(key) === key ? String(value || "").replaceAll("_", " ") : t(key);
};
const PROPOSAL = `query Proposal($id: ID!) { incident(id: $id) { id state currency orderNumber proposal {
  problem resolution amount percent value affectedItems note state merchantNote
  counter { amount percent value currency note } photos { id url contentType width height } } } }`;
const ACCEPT = `mutation Accept($id: ID!) { acceptProposal(id: $id) { id state } }`;
const COUNTER = `mutation Counter($id: ID!, $amount: String, $percent: String, $note: String) {
  counterProposal(id: $id, amount: $amount, percent: $percent, note: $note) { id state } }`;
const DECLINE = `mutation Decline($id: ID!, $reason: String) { declineProposal(id: $id, reason: $reason) { id state } }`;

/** The panel for one customer report; `reopen` reloads the incident detail after an answer. */
export function proposalPanel(incident, reopen) {
  const box = h("div", { class: "proposal", "aria-live": "polite" }, h("p", { class: "muted" }, t("proposal.loading")));
  gql(PROPOSAL, { id: incident.id })
    .then(({ incident: found }) => clear(box, render(found, reopen)))
    .catch((error) => box.replaceChildren(banner("error", error.message)));
  return box;
}

function render(incident, reopen) {
  const p = incident.proposal;
  if (!p) return [banner("info", t("proposal.none"))];
  const currency = incident.currency || p.counter?.currency;
  const asked = p.resolution === "keep_with_discount"
    ? `${named("fix", p.resolution)}: ${p.percent ? formatPercent(p.percent) : formatMoney(p.amount, currency)}`
    : named("fix", p.resolution);
  const facts = [
    [t("proposal.problem"), named("problem", p.problem)],
    [t("proposal.items"), p.affectedItems.join(", ")],
    p.note ? [t("proposal.note"), p.note] : null,
    [t("proposal.asks"), asked],
    p.value ? [t("proposal.costs"), formatMoney(p.value, currency)] : null,
    p.counter ? [t("proposal.counter"), `${formatMoney(p.counter.value, p.counter.currency)}${p.counter.note ? ` — “${p.counter.note}”` : ""}`] : null,
  ].filter(Boolean);
  const photos = p.photos.length
    ? h("div", { class: "photos", style: "display:flex;gap:8px;flex-wrap:wrap;margin:8px 0" }, p.photos.map((photo, i) =>
      h("a", { href: photo.url, target: "_blank", rel: "noopener" },
        h("img", { src: photo.url, alt: t("proposal.photo", { number: i + 1, count: p.photos.length }), width: 160,
          height: Math.round(160 * photo.height / photo.width), style: "border-radius:6px;object-fit:cover" }))))
    : h("p", { class: "muted" }, t("proposal.no_photos"));
  return [
    h("h3", { style: "margin-top:16px" }, t("proposal.title")),
    h("dl", { class: "facts" }, facts.map(([k, v]) => [h("dt", {}, k), h("dd", {}, v)])),
    photos,
    incident.state === "pending_approval" ? answers(incident, p, reopen) : null,
    incident.state === "waiting_customer" ? banner("info", t("proposal.waiting_customer")) : null,
  ];
}

function answers(incident, p, reopen) {
  const amount = h("input", { type: "text", inputmode: "decimal", placeholder: t("proposal.example", { value: 15 }) });
  const percent = h("input", { type: "text", inputmode: "decimal", placeholder: t("proposal.example", { value: 20 }) });
  const note = h("input", { type: "text", maxlength: 500, placeholder: t("proposal.shown") });
  const reason = h("input", { type: "text", maxlength: 500, placeholder: t("proposal.shown") });
  const act = (button, mutation, variables, doneKey) => busy(button, gql(mutation, { id: incident.id, ...variables })
    .then(() => { const text = t(doneKey, { number: incident.orderNumber }); toast(text); notify("success", text, ""); })
    .catch((error) => { button.parentElement.append(banner("error", error.message)); })
    .finally(reopen));
  const accept = h("button", { type: "button", class: "primary", hidden: p.resolution === "shop_decides",
    onclick: () => act(accept, ACCEPT, {}, "proposal.accepted") }, named("accept", p.resolution));
  const counter = h("button", { type: "button", onclick: () => act(counter, COUNTER,
    { amount: amount.value.trim() || null, percent: percent.value.trim() || null, note: note.value.trim() || null }, "proposal.countered") },
    t("proposal.send_counter"));
  const decline = h("button", { type: "button", class: "danger", onclick: () => act(decline, DECLINE,
    { reason: reason.value.trim() || null }, "proposal.declined") }, t("action.decline"));
  return h("div", { class: "actions" },
    h("p", {}, h("strong", {}, t("proposal.your_answer")), " ", h("span", { class: "muted" }, t("proposal.either_way"))),
    h("div", { class: "row" }, accept),
    h("div", { class: "row", style: "margin-top:8px;align-items:end" },
      field(t("proposal.money_off"), amount), field(t("proposal.or_percent"), percent), field(t("proposal.note_to"), note), counter),
    h("div", { class: "row", style: "margin-top:8px;align-items:end" }, field(t("proposal.reason"), reason), decline));
}
