// An incident in the merchant's words: what happened, what the policy decided and why, every amount broken
// down by product ("Blue shirt M: $25.00 + 50 % off the Green shirt they keep: $20.00"). Shared by the
// Incidents tab, the order widget and the report popup.
import { formatDate, formatLanguage, formatMoney, formatPercent, h } from "./dom.js";
import { t, tn } from "./i18n.js";

export const kindText = (kind) => t(`kind.${String(kind || "").toLowerCase()}`);
export const stateText = (state) => t(`state.${state}`);
export const offerName = (type) => t(`offer.${type || "apology_only"}`);

function names(incident) {
  const byKey = Object.fromEntries((incident.items || []).map((i) => [i.sku, i]));
  return { name: (sku) => byKey[sku]?.name || sku, price: (sku) => byKey[sku]?.unitPrice };
}

function counted(skus) {
  const counts = new Map();
  for (const sku of skus) counts.set(sku, (counts.get(sku) || 0) + 1);
  return [...counts];
}

/** A short phrase for lists and buttons: "Gift card $15.00", "Reship Blue shirt M ($45.00)". */
export function offerShort(incident) {
  const o = incident.offer;
  const type = o?.type || incident.offerType;
  if (!type) return "—";
  const value = o?.value ?? incident.offerValue;
  const currency = o?.currency || incident.currency;
  if (type === "apology_only" || !value || Number(value) === 0) return offerName(type);
  return `${offerName(type)} ${formatMoney(value, currency)}`;
}

/** What the customer gets, as a sentence and the lines that add up to its value. */
export function offerBreakdown(incident) {
  const o = incident.offer;
  if (!o) return { text: t("decision.pending"), lines: [] };
  const money = (v) => formatMoney(v, o.currency);
  const { name, price } = names(incident);
  switch (o.type) {
    case "gift_card":
      return { text: o.expiresInDays ? t("give.gift_card_days", { amount: money(o.giftCardAmount ?? o.value), days: o.expiresInDays })
        : t("give.gift_card", { amount: money(o.giftCardAmount ?? o.value) }), lines: [] };
    case "free_shipping_voucher":
      return { text: t("give.free_shipping", { amount: money(o.value) }), lines: [] };
    case "gift_product":
      return { text: t("give.gift_product", { quantity: o.quantity || 1, name: name(o.sku), amount: money(o.value) }), lines: [] };
    case "partial_refund":
      return { text: t("give.refund", { amount: money(o.refundAmount ?? o.value) }), lines: [] };
    case "reship": {
      const lines = counted(o.reshipSkus).map(([sku, n]) => [
        n > 1 ? `${n} × ${name(sku)}` : name(sku), price(sku) == null ? "—" : money(Number(price(sku)) * n)]);
      const kept = counted(incident.sentSkus.filter((s) => !incident.expectedSkus.includes(s))).map(([sku]) => name(sku));
      if (o.keepItemDiscountPercent && Number(o.keptItemsDiscount) > 0) {
        lines.push([t("give.kept_discount", { percent: formatPercent(o.keepItemDiscountPercent), items: kept.join(", ") || t("give.wrong_item") }),
          money(o.keptItemsDiscount)]);
      }
      const sent = counted(o.reshipSkus).map(([sku]) => name(sku)).join(", ");
      return { text: t("give.reship", { items: sent, amount: money(o.value) }), lines, total: lines.length > 1 ? money(o.value) : null };
    }
    default:
      return { text: t("give.apology_only"), lines: [] };
  }
}

/** Why the policy decided what it did, in one or two sentences. */
export function decisionSentence(incident) {
  const d = incident.decision;
  if (!d) return t("decision.pending");
  const declined = (incident.timeline || []).find((e) => e.type === "declined");
  if (declined) return t("decision.declined");
  const base = reasonSentence({ ...d, currency: d.currency || incident.currency }, () => offerBreakdown(incident).text);
  if (d.blockedBy || !d.rule) return base;
  return d.needsApproval && incident.state === "pending_approval" ? `${base} ${t("decision.waits")}` : base;
}

/** A limit that stopped the rule, no rule at all, or what the rule gives (`gives` words the offer). */
function reasonSentence({ rule, blockedBy, currency }, gives) {
  const blocked = {
    per_customer_limit: "decision.blocked.per_customer",
    monthly_budget: "decision.blocked.budget",
    no_currency_budget: "decision.blocked.no_currency",
  }[blockedBy];
  if (blocked) return t(blocked, { rule, currency: currency || "" });
  if (!rule) return t("decision.no_rule");
  return t("decision.rule_gives", { rule, gives: gives() });
}

/** The decision as a block: the sentence, then each amount on its own line with the total. */
export function decisionBlock(incident) {
  const { lines, total } = offerBreakdown(incident);
  return h("div", { class: "decision" },
    h("p", {}, decisionSentence(incident)),
    lines.length ? h("ul", { class: "amounts" },
      lines.map(([what, amount]) => h("li", {}, h("span", {}, what), h("span", {}, amount))),
      total ? h("li", { class: "total" }, h("span", {}, t("give.total")), h("span", {}, total)) : null) : null);
}

/** What happened to the incident, one plain line per timeline entry. */
export function timelineText(incident, event) {
  const { name } = names(incident);
  switch (event.type) {
    case "detected":
      if (incident.kind === "WRONG_ITEM" && incident.expectedSkus.length) {
        return t("event.detected.wrong_item", {
          expected: incident.expectedSkus.map(name).join(", "),
          sent: incident.sentSkus.map(name).join(", ") || t("event.unknown_item"),
        });
      }
      return t(`event.detected.${incident.source}`, { kind: kindText(incident.kind) });
    case "decided": return decisionSentence({ ...incident, state: "decided" });
    case "pending_approval": return event.facts ? codedText(event.facts) : t("event.pending_approval");
    case "proposal_accepted":
      return event.facts ? t(`event.${event.facts.code}`, { by: event.facts.by }) : event.message;
    case "proposal_countered":
      return event.facts
        ? t("event.proposal_countered", { by: event.facts.by, amount: formatMoney(event.facts.amount, event.facts.currency) })
        : event.message;
    case "proposal_declined": return event.facts ? declinedText(event.facts) : event.message;
    case "reported": return event.facts ? reportedText(event.facts) : event.message;
    case "goodwill_created": return goodwillText(incident) ? t("event.goodwill_created", { what: goodwillText(incident) }) : event.message;
    case "goodwill_used": return !event.facts ? event.message : event.facts.amount
      ? t("event.goodwill_used_off", { order: event.facts.orderNumber, amount: formatMoney(event.facts.amount, event.facts.currency) })
      : t("event.goodwill_used", { order: event.facts.orderNumber });
    case "declined": return event.facts
      ? declinedText(event.facts) : `${event.message.replace(/\s*→ apology only$/, "")}. ${t("event.declined")}`;
    case "approved": return event.facts ? t("event.approved", { by: event.facts.by }) : event.message;
    case "shipped": return t("event.shipped");
    case "order_note":
    case "retrying":
    case "no_email":
    case "dismissed":
    case "released":
    case "failed":
    case "email_failed": return event.facts ? codedText(event.facts) : event.message;
    case "language_fallback": return event.facts
      ? t("event.language_fallback", { wanted: formatLanguage(event.facts.orderLanguage), used: formatLanguage(event.facts.language) })
      : event.message;
    default: {
      if (!event.type.startsWith("emailed_")) return event.message;  // the server's words (a note, a reason)
      const purpose = event.type.replace("emailed_", "");  // emailed_initial, emailed_report_received, …
      const dry = (incident.messages || []).some((m) => m.purpose === purpose && m.state === "dry_run");
      // Only the first e-mail is the apology; the later ones say it shipped or answer the customer.
      const sent = purpose === "initial" ? "event.emailed" : "event.emailed_other";
      return t(dry ? "event.emailed_dry_run" : sent, { email: incident.customerEmail || "" });
    }
  }
}

/** An entry worded by its code (and who), and why when the server gave a reason: an order note written or not
 * (never "written" when it was not), a proposal back with the merchant, an incident dismissed or failed. */
function codedText(facts) {
  const text = t(`event.${facts.code}`, { by: facts.by });
  return facts.note ? `${text} ${t("event.reason", { reason: facts.note })}` : text;
}

/** Who declined, why, and what the customer gets instead: an apology only. */
function declinedText(facts) {
  return [t("event.declined_by", { by: facts.by }), facts.note ? t("event.reason", { reason: facts.note }) : null,
    t("event.declined")].filter(Boolean).join(" ");
}

/** Who reported the problem and in whose words: "The customer's report: Damaged. Note: “The box was crushed”". */
function reportedText(facts) {
  const said = {
    "reported.staff": () => t("event.reported.staff", { by: facts.by }),
    "reported.customer": () => t("event.reported.customer", { problem: t(`proposal.problem.${facts.problem || "other"}`) }),
    "reported.request": () => (facts.request === "later_delivery" && facts.notBefore
      ? t("event.reported.later_delivery", { date: formatDate(facts.notBefore, false) })
      : facts.request === "change_variant" && facts.item ? t("event.reported.change_variant", { item: facts.item })
        : t("event.reported.request")),
  }[facts.code];
  const text = said ? said() : "";
  return facts.note ? `${text} ${t("event.note", { note: facts.note })}`.trim() : text;
}

/** What was created in Saleor, in the page's words ("gift card $15.00, code ending 4F2A"); null before. */
export function goodwillText(incident) {
  const g = incident.decision?.goodwillDone;
  if (!g) return null;
  const what = t(`goodwill.${g.type}`, { amount: formatMoney(g.amount, g.currency), code: g.code || g.codeEnding || "—",
    number: g.orderNumber || "—", items: g.products || "—" });
  return g.expiresOn ? t("goodwill.until", { what, date: formatDate(g.expiresOn, false) }) : what;
}

/** An offer as a short cell: "Gift card $15.00", "Apology only". */
export function offerCell(offer) {
  if (offer.type === "apology_only" || !Number(offer.value)) return offerName(offer.type);
  return `${offerName(offer.type)} ${formatMoney(offer.value, offer.currency)}`;
}

/** Why a replayed policy would decide what it did: the same sentences as a live decision's. */
export function simulatedReason(change) {
  const offer = change.simulatedOffer;
  const amount = formatMoney(offer.value, offer.currency);
  const gives = {
    gift_card: () => t("give.gift_card", { amount }),
    free_shipping_voucher: () => t("give.free_shipping", { amount }),
    partial_refund: () => t("give.refund", { amount }),
    gift_product: () => t("give.gift_product_worth", { amount }),
    reship: () => t("give.reship_worth", { amount }),
  }[offer.type] || (() => t("give.apology_only"));
  const decided = reasonSentence({ rule: change.rule, blockedBy: change.blockedBy, currency: offer.currency }, gives);
  return change.needsApproval ? `${decided} ${t("sim.reason_waits")}` : decided;
}

export const eventTitle = (type) => {
  const key = `title.${String(type).replace(/:\d+$/, "")}`;  // emailed_counter_offer:2 is the second round's e-mail
  return t(key) === key ? String(type).replaceAll("_", " ") : t(key);
};

export function when(iso) { return formatDate(iso); }
export const countText = (key, n) => tn(key, n);
