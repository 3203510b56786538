// Insights → "What the goodwill buys": codes spent, customers who came back, the cost of each one kept.
// Reads the daily count (jobs/returns_count.py); the page never counts. Every rate is shown with its base.
import { gql } from "./api.js";
import { banner, busy, clear, formatDate, formatMoney, h } from "./dom.js";
import { pct, saveCsv, svgFigure } from "./figures.js";
import { t } from "./i18n.js";

const RETURNS = `query GoodwillReturns($redeemed: String!, $compensated: String!, $apology: String!, $baseline: String!) {
  goodwillReturns { computedAt report }
  goodwillReturnsChart(redeemed: $redeemed, compensated: $compensated, apology: $apology, baseline: $baseline) }`;
const CSV = "query { goodwillReturnsCsv }";
const WINDOWS = ["30", "90", "180"];

export function mountReturns(section) {
  async function load() {
    try {
      const data = await gql(RETURNS, {
        redeemed: t("returns.series.redeemed"), compensated: t("returns.series.compensated"),
        apology: t("returns.series.apology"), baseline: t("returns.series.baseline"),
      });
      render(data.goodwillReturns, data.goodwillReturnsChart);
    } catch (error) {
      clear(section, banner("error", error.message));
    }
  }

  function render(found, svg) {
    const head = h("div", { class: "spread" },
      h("div", {}, h("h2", {}, t("returns.title")), h("p", { class: "muted" }, t("returns.lead"))),
      found.report ? csvButton() : null);
    if (!found.report) {
      clear(section, h("section", { class: "card returns" }, head, h("p", { class: "empty" }, t("returns.not_counted"))));
      return;
    }
    const r = found.report;
    clear(section, h("section", { class: "card returns" }, head,
      h("p", { class: "muted" }, t("returns.counted", { when: formatDate(found.computedAt), min: r.min_sample })),
      h("h3", {}, t("returns.chart_title")),
      svg ? svgFigure(svg, "returns-chart", t("returns.chart_title")) : h("p", { class: "empty" }, t("returns.no_months")),
      h("h3", {}, t("returns.table_title")),
      table(r),
      h("div", { class: "returns-proof" },
        h("p", {}, h("strong", {}, t("returns.can_prove")), " ", t("returns.can_prove_text")),
        h("p", {}, h("strong", {}, t("returns.cannot_prove")), " ", t("returns.cannot_prove_text")))));
  }

  function csvButton() {
    const button = h("button", { type: "button", class: "secondary" }, t("returns.csv"));
    button.addEventListener("click", () => busy(button, gql(CSV).then(({ goodwillReturnsCsv }) =>
      saveCsv(goodwillReturnsCsv, "goodwill-returns.csv"))));
    return button;
  }

  load();
  return { refresh: load };
}

function table(r) {
  const headers = [t("returns.col.rule"), t("returns.col.offer"), t("returns.col.incidents"), t("returns.col.redeemed"),
    ...WINDOWS.map((w) => t("returns.col.back", { days: w })), t("returns.col.cost"), t("returns.col.revenue")];
  const rows = [
    ...r.rows.map((row) => line(row, row.rule || t("returns.no_rule"))),
    ...r.by_offer.map((row) => line(row, t("returns.all_rules"))),
    line(r.apology, t("returns.apology"), r.apology.held_back ? t("returns.held_back", { count: r.apology.held_back }) : null),
    line(r.baseline, t("returns.baseline"), t("returns.baseline_note")),
  ];
  return h("div", { class: "table-scroll" }, h("table", { class: "returns-table" },
    h("thead", {}, h("tr", {}, headers.map((text) => h("th", { scope: "col" }, text)))),
    h("tbody", {}, rows)));
}

function line(row, name, note = null) {
  const offer = row.group === "baseline" ? "—" : t(`offer.${row.offer_type}`);
  const spent = row.group === "compensated" && row.currency ? formatMoney(row.spent, row.currency) : null;
  return h("tr", { class: `group-${row.group}` },
    h("th", { scope: "row" }, name, note ? h("div", { class: "hint" }, note) : null),
    h("td", {}, offer, spent ? h("div", { class: "hint" }, t("returns.spent", { amount: spent })) : null),
    h("td", { class: "num" }, String(row.incidents)),
    h("td", {}, row.redemption ? rate(row.redemption) : "—"),
    WINDOWS.map((w) => h("td", {}, rate(row.returns[w]))),
    h("td", {}, cost(row.cost)),
    h("td", {}, revenue(row.revenue)));
}


/** "42 % (31–55 %)" over "13 of 31"; below the minimum sample "too few to tell" over its base. */
function rate(x) {
  const base = h("div", { class: "hint" }, t("returns.of", { count: x.count, base: x.base }));
  if (x.too_few) return h("div", {}, h("span", { class: "too-few" }, t("returns.too_few")), base);
  return h("div", {}, h("strong", {}, pct(x.rate)), ` (${pct(x.interval.low)}–${pct(x.interval.high)})`, base);
}

function cost(c) {
  if (!c) return "—";
  if (c.verdict === "too_few") return h("span", { class: "too-few" }, t("returns.too_few"));
  if (c.verdict === "not_above_baseline") return t("returns.not_above");
  const high = c.cost_high ? formatMoney(c.cost_high, c.currency) : t("returns.no_upper");
  return h("div", {}, h("strong", {}, formatMoney(c.cost, c.currency)),
    h("div", { class: "hint" }, t("returns.cost_range", { low: formatMoney(c.cost_low, c.currency), high })),
    h("div", { class: "hint" }, t("returns.kept", { count: Math.round(c.extra_returning) })));
}

function revenue(v) {
  if (!v.customers) return h("span", { class: "too-few" }, t("returns.not_yet"));
  const per = v.currency ? formatMoney(v.per_customer, v.currency) : v.per_customer;
  return h("div", {}, per, h("div", { class: "hint" }, t("returns.revenue_base", { count: v.customers })));
}

/** The policy simulation's expected returns: "≈ 12 (8–17)", with the incidents left out when too few to tell. */
export function expectedText(e) {
  if (!e) return t("returns.sim_not_counted");
  if (e.returning === null) return t("returns.too_few");
  const text = t("returns.sim_expected", { value: Math.round(e.returning), low: Math.floor(e.low), high: Math.ceil(e.high) });
  return e.unknown ? `${text} ${t("returns.sim_unknown", { count: e.unknown })}` : text;
}
