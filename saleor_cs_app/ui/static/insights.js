// The Insights tab: a month at a glance, drawn with plain HTML bars (readable by screen readers as lists).
import { gql } from "./api.js";
import { banner, clear, field, formatMinutes, formatMoney, h, KIND_LABELS, label, select, STATE_LABELS } from "./dom.js";
import { monthOptions } from "./periods.js";

const INSIGHTS = `query Insights($month: String) { insights(month: $month) {
  month incidents emailed medianMinutesToEmail budget { currency spent budget }
  byKind { label count } byState { label count } byCarrier { label count } byWarehouse { label count } bySku { label count } } }`;

export function mountInsights(panel) {
  const month = select(monthOptions(), "");
  const notices = h("div");
  const body = h("div", { "aria-live": "polite" });
  month.addEventListener("change", () => load());
  clear(panel,
    h("div", { class: "card spread" }, h("div", {}, h("h2", {}, "Insights"), h("p", { class: "muted" }, "What went wrong, why, and what it cost.")),
      h("div", { style: "width:200px" }, field("Month", month))),
    notices, body);

  async function load() {
    try {
      const { insights } = await gql(INSIGHTS, { month: month.value || null });
      if (![...month.options].some((o) => o.value === insights.month)) month.prepend(h("option", { value: insights.month }, insights.month));
      month.value = insights.month;
      render(insights);
      notices.replaceChildren();
    } catch (error) {
      clear(notices, banner("error", error.message));
    }
  }

  function render(i) {
    const stat = (value, text) => h("div", { class: "stat" }, h("div", { class: "value" }, value), h("div", { class: "label" }, text));
    clear(body,
      h("div", { class: "stats" },
        stat(String(i.incidents), "incidents this month"),
        stat(String(i.emailed), "customers e-mailed"),
        stat(formatMinutes(i.medianMinutesToEmail), "median time from detection to e-mail")),
      h("div", { class: "charts" },
        chart("Goodwill against the monthly budget", budget(i.budget)),
        chart("By problem", bars(i.byKind, (l) => label(KIND_LABELS, l))),
        chart("By carrier (shipping method)", bars(i.byCarrier)),
        chart("By warehouse", bars(i.byWarehouse)),
        chart("Wrong items by SKU", bars(i.bySku)),
        chart("By state", bars(i.byState, (l) => label(STATE_LABELS, l)))));
  }

  load();
  return { refresh: load };
}

function chart(title, content) {
  return h("section", { class: "card" }, h("h3", {}, title), content);
}

function bars(items, name = (l) => l) {
  if (!items.length) return h("p", { class: "empty" }, "Nothing this month.");
  const top = Math.max(...items.map((c) => c.count));
  return h("ul", { class: "bars" }, items.map((c) => h("li", {},
    h("span", { class: "label", title: name(c.label) }, name(c.label)),
    h("span", { class: "track", "aria-hidden": "true" }, h("span", { class: "fill", style: `display:block;width:${(100 * c.count) / top}%` })),
    h("span", { class: "count" }, String(c.count)))));
}

function budget(rows) {
  if (!rows.length) return h("p", { class: "empty" }, "No goodwill and no budget set.");
  return h("div", {}, rows.map((b) => {
    const share = b.budget && Number(b.budget) > 0 ? Math.min(100, (100 * Number(b.spent)) / Number(b.budget)) : 0;
    const text = b.budget ? `${formatMoney(b.spent, b.currency)} of ${formatMoney(b.budget, b.currency)}` : `${formatMoney(b.spent, b.currency)} (no cap)`;
    return h("div", { class: "budget-row" },
      h("div", { class: "spread" }, h("strong", {}, b.currency), h("span", {}, text)),
      b.budget ? h("div", { class: "budget-track", role: "meter", "aria-valuemin": "0", "aria-valuemax": b.budget, "aria-valuenow": b.spent, "aria-label": `${b.currency} budget used` },
        h("div", { class: `budget-fill ${share >= 100 ? "over" : ""}`, style: `width:${share}%` })) : null);
  }));
}
