// The Insights tab: a month at a glance, drawn with plain HTML bars (readable by screen readers as lists).
import { gql } from "./api.js";
import { banner, clear, field, formatMinutes, formatMoney, h, select } from "./dom.js";
import { kindText, stateText } from "./explain.js";
import { t } from "./i18n.js";
import { monthOptions } from "./periods.js";
import { mountAdvice } from "./advice.js";
import { mountReturns } from "./returns.js";

const INSIGHTS = `query Insights($month: String) { insights(month: $month) {
  month incidents emailed medianMinutesToEmail budget { currency spent budget }
  byKind { label count } byState { label count } byCarrier { label count } byWarehouse { label count } bySku { label count } } }`;

export function mountInsights(panel) {
  const month = select(monthOptions(), "");
  const notices = h("div");
  const body = h("div", { "aria-live": "polite" });
  const promises = h("div", { class: "advice-section" });  // promises you can keep (advice.js)
  const goodwill = h("div", { class: "returns-section" });  // what the goodwill buys (returns.js)
  month.addEventListener("change", () => load());
  clear(panel,
    h("div", { class: "card spread" }, h("div", {}, h("h2", {}, t("insights.title")), h("p", { class: "muted" }, t("insights.lead"))),
      h("div", { style: "width:200px" }, field(t("insights.month"), month))),
    notices, body, promises, goodwill);
  const advice = mountAdvice(promises);
  const returns = mountReturns(goodwill);

  async function load() {
    try {
      const { insights } = await gql(INSIGHTS, { month: month.value || null });
      if (![...month.options].some((o) => o.value === insights.month)) {  // the app's clock, not the browser's
        clear(month, monthOptions(12, insights.month).map(([v, text]) => h("option", { value: v }, text)));
      }
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
        stat(String(i.incidents), t("insights.incidents")),
        stat(String(i.emailed), t("insights.emailed")),
        stat(formatMinutes(i.medianMinutesToEmail), t("insights.median"))),
      h("div", { class: "charts" },
        chart(t("insights.budget"), budget(i.budget)),
        chart(t("insights.by_problem"), bars(i.byKind, kindText)),
        chart(t("insights.by_carrier"), bars(i.byCarrier)),
        chart(t("insights.by_warehouse"), bars(i.byWarehouse)),
        chart(t("insights.by_sku"), bars(i.bySku)),
        chart(t("insights.by_state"), bars(i.byState, stateText))));
  }

  load();
  return { refresh: () => { load(); advice.refresh(); returns.refresh(); } };
}

function chart(title, content) {
  return h("section", { class: "card" }, h("h3", {}, title), content);
}

function bars(items, name = (l) => l) {
  if (!items.length) return h("p", { class: "empty" }, t("insights.nothing"));
  const top = Math.max(...items.map((c) => c.count));
  return h("ul", { class: "bars" }, items.map((c) => h("li", {},
    h("span", { class: "label", title: name(c.label) }, name(c.label)),
    h("span", { class: "track", "aria-hidden": "true" }, h("span", { class: "fill", style: `display:block;width:${(100 * c.count) / top}%` })),
    h("span", { class: "count" }, String(c.count)))));
}

function budget(rows) {
  if (!rows.length) return h("p", { class: "empty" }, t("insights.no_budget"));
  return h("div", {}, rows.map((b) => {
    const share = b.budget && Number(b.budget) > 0 ? Math.min(100, (100 * Number(b.spent)) / Number(b.budget)) : 0;
    const text = b.budget ? t("insights.of", { spent: formatMoney(b.spent, b.currency), budget: formatMoney(b.budget, b.currency) }) : t("insights.no_cap", { spent: formatMoney(b.spent, b.currency) });
    return h("div", { class: "budget-row" },
      h("div", { class: "spread" }, h("strong", {}, b.currency), h("span", {}, text)),
      b.budget ? h("div", { class: "budget-track", role: "meter", "aria-valuemin": "0", "aria-valuemax": b.budget, "aria-valuenow": b.spent, "aria-label": t("insights.used", { currency: b.currency }) },
        h("div", { class: `budget-fill ${share >= 100 ? "over" : ""}`, style: `width:${share}%` })) : null);
  }));
}
