// Insights → "Promises you can keep": per shipping method the promises kept in the last 90 days, and the
// maximumDeliveryDays and handling days that would have been kept 95 % of the time (promiseAdvice); one click
// opens the method in the dashboard, and where the app and the staff member hold MANAGE_SHIPPING, a confirmed
// click applies the advised days in Saleor. Below, the on-time trend (the server's pygal SVG) and its CSV.
import { gql } from "./api.js";
import { redirect } from "./bridge.js";
import { banner, busy, clear, field, h, select, toast } from "./dom.js";
import { pct, saveCsv, svgFigure } from "./figures.js";
import { t, tn } from "./i18n.js";

const ADVICE = `query Advice($by: String!) {
  promiseAdvice { shippingMethod name delivered kept keptShare
    maximumDeliveryDays { days sample low high sure } handlingDays { days sample low high sure } }
  shippingAccess { appGranted userMay canApply methods { key zoneId zoneName methodId name minimumDeliveryDays maximumDeliveryDays } }
  deliveryTrend(by: $by) { minSample months }
  deliveryTrendChart(by: $by) }`;
const TREND = `query Trend($by: String!) { deliveryTrend(by: $by) { minSample months } deliveryTrendChart(by: $by) }`;
const CSV = `query Csv($by: String!) { deliveryTrendCsv(by: $by) }`;
const APPLY = `mutation Apply($id: ID!, $days: Int!) {
  applyMaximumDeliveryDays(shippingMethodId: $id, days: $days) { ok error minimumDeliveryDays maximumDeliveryDays } }`;
const GROUPINGS = ["carrier", "method", "country"];

/** The dashboard's own paths (saleor-dashboard src/shipping/urls.ts: shippingRateEditUrl, shippingZonesListUrl). */
export const shippingMethodPath = (zoneId, methodId) => `/shipping/${encodeURIComponent(zoneId)}/${encodeURIComponent(methodId)}`;
export const shippingZonesPath = (search) => `/shipping/?${new URLSearchParams({ query: search })}`;

export function mountAdvice(section) {
  const notices = h("div", { "aria-live": "polite" });
  const table = h("div");
  const by = select(GROUPINGS.map((g) => [g, t(`advice.by.${g}`)]), "carrier");
  const chart = h("div");
  const csv = h("button", { type: "button", class: "secondary" }, t("advice.csv"));
  by.addEventListener("change", () => loadTrend());
  csv.addEventListener("click", () => busy(csv, download()));
  clear(section, h("section", { class: "card advice" },
    h("h2", {}, t("advice.title")), h("p", { class: "muted" }, t("advice.lead")),
    notices, table,
    h("div", { class: "spread advice-trend-head" },
      h("h3", {}, t("advice.trend_title")),
      h("div", { class: "row" }, h("div", { style: "width:200px" }, field(t("advice.by"), by)), csv)),
    chart));

  async function load() {
    try {
      const data = await gql(ADVICE, { by: by.value });
      renderTable(data.promiseAdvice, data.shippingAccess, data.deliveryTrend.minSample);
      renderChart(data.deliveryTrend, data.deliveryTrendChart);
      notices.replaceChildren();
    } catch (error) {
      clear(notices, banner("error", error.message));
    }
  }

  async function loadTrend() {
    try {
      const data = await gql(TREND, { by: by.value });
      renderChart(data.deliveryTrend, data.deliveryTrendChart);
    } catch (error) {
      clear(notices, banner("error", error.message));
    }
  }

  async function download() {
    saveCsv((await gql(CSV, { by: by.value })).deliveryTrendCsv, `on-time-by-${by.value}.csv`);
  }

  function renderTable(advice, access, minSample) {
    if (!advice.length) { clear(table, h("p", { class: "empty" }, t("advice.none"))); return; }
    const headers = [t("advice.col.method"), t("advice.col.kept"), t("advice.col.max_days"), t("advice.col.handling"), t("advice.col.dashboard")];
    clear(table,
      access.appGranted ? null : h("p", { class: "hint advice-permission" }, t("advice.no_permission")),
      access.appGranted && !access.userMay ? h("p", { class: "hint advice-permission" }, t("advice.user_cannot")) : null,
      h("div", { class: "table-scroll" }, h("table", { class: "advice-table" },
        h("thead", {}, h("tr", {}, headers.map((text) => h("th", { scope: "col" }, text)))),
        h("tbody", {}, advice.map((a) => row(a, access, minSample))))));
  }

  function row(a, access, minSample) {
    const matches = access.methods.filter((m) => m.key === a.shippingMethod);
    const name = matches.length ? matches[0].name : a.name;
    return h("tr", { dataset: { method: a.shippingMethod } },
      h("th", { scope: "row" }, name),
      h("td", {}, kept(a, minSample)),
      h("td", {}, estimate(a.maximumDeliveryDays, minSample), matches.map((m) => current(m))),
      h("td", {}, estimate(a.handlingDays, minSample), h("div", { class: "hint" }, t("advice.handling_hint"))),
      h("td", { class: "advice-actions" }, actions(a, matches, access, minSample)));
  }

  function actions(a, matches, access, minSample) {
    if (!matches.length) {
      return h("button", { type: "button", class: "secondary", onclick: () => redirect(shippingZonesPath(a.name)) },
        t("advice.find"));
    }
    return matches.map((m) => {
      const open = h("button", { type: "button", class: "secondary", onclick: () => redirect(shippingMethodPath(m.zoneId, m.methodId)) },
        matches.length > 1 ? t("advice.open_in", { zone: m.zoneName }) : t("advice.open"));
      const days = a.maximumDeliveryDays.days;
      // Below the minimum sample there is no advice to apply, only a count.
      const canApply = access.canApply && days !== null && a.maximumDeliveryDays.sample >= minSample && days !== m.maximumDeliveryDays;
      return h("div", { class: "advice-action" }, open, canApply ? applyControl(m, days) : null);
    });
  }

  function applyControl(method, days) {
    const box = h("div", { class: "advice-apply" });
    const ask = h("button", { type: "button", class: "primary" }, t("advice.apply", { days }));
    ask.addEventListener("click", () => {
      const lowers = method.minimumDeliveryDays !== null && method.minimumDeliveryDays > days;
      const yes = h("button", { type: "button", class: "primary" }, t("advice.confirm"));
      const no = h("button", { type: "button" }, t("advice.cancel"));
      no.addEventListener("click", () => clear(box, ask));
      yes.addEventListener("click", () => busy(yes, apply(method, days, box)));
      clear(box, h("div", { class: "banner warning", role: "alertdialog" },
        h("p", {}, t("advice.confirm_text", { name: method.name, zone: method.zoneName, from: method.maximumDeliveryDays ?? "—", days })),
        lowers ? h("p", {}, t("advice.confirm_min", { days })) : null,
        h("div", { class: "row" }, yes, no)));
      yes.focus();
    });
    return clear(box, ask);
  }

  async function apply(method, days, box) {
    const result = (await gql(APPLY, { id: method.methodId, days })).applyMaximumDeliveryDays;
    if (!result.ok) { clear(box, banner("error", result.error)); return; }
    toast(t("advice.applied", { name: method.name, days: result.maximumDeliveryDays }));
    await load();
  }

  function renderChart(trend, svg) {
    clear(chart, svg ? svgFigure(svg, "returns-chart advice-chart", t("advice.trend_title")) : h("p", { class: "empty" }, t("advice.no_trend")),
      h("p", { class: "hint" }, t("advice.trend_note", { min: trend.minSample, months: trend.months.length })));
  }

  load();
  return { refresh: load };
}


function kept(a, minSample) {
  const base = h("div", { class: "hint" }, t("advice.kept_of", { kept: a.kept, count: a.delivered }));
  if (a.delivered < minSample || a.keptShare === null) return h("div", {}, h("span", { class: "too-few" }, t("advice.too_few")), base);
  return h("div", {}, h("strong", {}, pct(a.keptShare)), base);
}

/** "7 business days" over "sample: 120" and "sure · 90% range 6–7"; below the minimum sample "too few to tell". */
function estimate(e, minSample) {
  if (e.days === null || e.sample < minSample) return h("div", {}, h("span", { class: "too-few" }, t("advice.too_few")), h("div", { class: "hint" }, t("advice.sample", { count: e.sample })));
  const band = e.low !== null && e.high !== null ? t("advice.band", { low: e.low, high: e.high }) : t("advice.no_band");
  return h("div", {},
    h("strong", {}, tn("detail.days", e.days)),
    h("div", { class: "hint" }, t("advice.sample", { count: e.sample })),
    h("div", { class: `hint ${e.sure ? "sure" : "unsure"}` }, `${t(e.sure ? "advice.sure" : "advice.unsure")} · ${band}`));
}

function current(m) {
  return h("div", { class: "hint advice-current" }, t("advice.now", { zone: m.zoneName, days: m.maximumDeliveryDays ?? "—" }));
}
