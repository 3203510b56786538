// Pieces of an incident shown wherever one appears (Incidents tab, order widget, report popup):
// one-click Approve / Decline, and what the customer was told.
import { gql } from "./api.js";
import { busy, formatDate, h, toast } from "./dom.js";
import { offerShort } from "./explain.js";
import { t } from "./i18n.js";

export const INCIDENT_FIELDS = `id orderId orderNumber orderUrl dashboardPath channel channelName kind source state daysLate detectedAt
  customerEmail carrier warehouse promisedDate expectedSkus sentSkus note offerType offerValue currency error
  decision { offerType offerValue currency rule reason blockedBy needsApproval
    goodwillDone { type amount currency code codeEnding orderNumber products expiresOn } }
  offer { type value currency giftCardAmount expiresInDays sku quantity refundAmount keepItemDiscountPercent reshipSkus keptItemsDiscount }
  items { sku name unitPrice }
  messages { purpose subject state sentAt mailTo language }
  timeline { at type message facts { code by note problem request notBefore item orderLanguage language amount currency orderNumber } }`;
const APPROVE = `mutation Approve($id: ID!) { approveIncident(id: $id) { id state } }`;
const DECLINE = `mutation Decline($id: ID!, $reason: String) { declineIncident(id: $id, reason: $reason) { id state } }`;

/** Approve and Decline side by side, primary on the right as in the dashboard; an optional reason. */
export function decideButtons(incident, { onDone, onError, compact = false }) {
  const reason = h("input", { type: "text", "aria-label": t("action.decline_reason"), placeholder: t("action.decline_reason") });
  const run = (button, mutation, variables, approved) => busy(button, gql(mutation, variables).then(
    () => { toast(t(approved ? "action.approved" : "action.declined", { number: incident.orderNumber })); return onDone(incident, approved); },
    (error) => onError(incident, error)));
  const approve = h("button", { type: "button", class: "primary", onclick: () => run(approve, APPROVE, { id: incident.id }, true) },
    compact ? t("action.approve") : t("action.approve_offer", { offer: offerShort(incident) }));
  const decline = h("button", { type: "button", class: "danger", onclick: () => run(decline, DECLINE, { id: incident.id, reason: reason.value || null }, false) },
    t("action.decline"));
  return h("div", { class: "actions" },
    compact ? null : h("p", { class: "muted" }, t("action.decline_hint")),
    compact ? null : reason,
    h("div", { class: "decide", style: compact ? "" : "margin-top:8px" }, decline, approve));
}

/** The e-mails the customer got (or will get), each with its state. */
export function toldList(incident) {
  if (!incident.messages.length) return h("p", { class: "muted" }, t("detail.not_told"));
  return h("ul", { class: "told" }, incident.messages.map((m) => h("li", {},
    m.subject ? h("div", {}, h("strong", {}, m.subject)) : null,
    h("div", { class: "muted small" }, m.state === "sent" ? t("mail.sent", { when: formatDate(m.sentAt) }) : t(`mail.${m.state}`), ` · ${m.mailTo}`))));
}
