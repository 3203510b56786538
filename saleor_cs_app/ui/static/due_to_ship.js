// "Due to ship" (issue #24), on top of the Incidents tab: per warehouse, the orders to send today or tomorrow
// and those already late, so staff ship them before the promise breaks. The server's clock says how much
// time is left; a late one links to its late-shipment incident, opened in the tab below.
import { gql } from "./api.js";
import { redirect } from "./bridge.js";
import { banner, clear, formatDate, formatMinutes, h } from "./dom.js";
import { t, tn } from "./i18n.js";

const QUERY = `query DueToShip { dueToShip { count warehouses { assignment warehouseId name count late
  orders { orderId orderNumber orderUrl dashboardPath customerName customerEmail items { name quantity }
    shipByDate due minutesLeft businessDaysLate shippingMethod incidentId } } } }`;
const COLUMNS = ["col.order", "due.col.customer", "due.col.items", "due.col.ship_by", "due.col.method"];

/** The card; `openIncident(id)` shows a late order's incident. */
export function dueToShipCard(openIncident) {
  const summary = h("p", { class: "muted", role: "status" });
  const body = h("div");
  const card = h("section", { class: "card due-to-ship", "aria-labelledby": "due-title" },
    h("div", { class: "card-head" }, h("h2", { id: "due-title" }, t("due.title")), summary),
    h("p", { class: "muted lead" }, t("due.lead")), body);

  async function load() {
    try {
      const { dueToShip } = await gql(QUERY);
      const late = dueToShip.warehouses.reduce((sum, g) => sum + g.late, 0);
      summary.textContent = dueToShip.count ? [t("due.summary", { count: dueToShip.count }), late ? t("due.late_count", { count: late }) : null]
        .filter(Boolean).join(" · ") : "";
      clear(body, dueToShip.warehouses.length ? dueToShip.warehouses.map(group) : h("p", { class: "empty" }, t("due.none")));
    } catch (error) {
      clear(body, banner("error", error.message));
    }
  }

  function group(g) {
    const name = (g.assignment === "ALLOCATED" && g.name) || t(`warehouse.${g.assignment.toLowerCase()}`);
    const hint = { NOT_ALLOCATED: t("due.no_warehouse_hint"), NOT_KNOWN_YET: t("due.not_known_hint") }[g.assignment];
    return h("details", { class: "due-warehouse", open: true, dataset: { assignment: g.assignment } },
      h("summary", {}, h("strong", {}, name), " ", h("span", { class: "badge" }, g.count),
        g.late ? [" ", h("span", { class: "badge failed" }, t("due.late_count", { count: g.late }))] : null),
      hint ? h("p", { class: "muted small" }, hint) : null,
      h("div", { class: "table-scroll" }, h("table", {},
        h("thead", {}, h("tr", {}, COLUMNS.map((k) => h("th", { scope: "col" }, t(k))))),
        h("tbody", {}, g.orders.map(row)))));
  }

  function row(o) {
    const link = h("a", { href: o.orderUrl, target: "_blank", rel: "noopener", onclick: (e) => {
      e.preventDefault(); redirect(o.dashboardPath);  // the dashboard navigates itself, as on an incident
    } }, `#${o.orderNumber}`);
    return h("tr", { class: o.due === "LATE" ? "late" : undefined, dataset: { order: o.orderNumber } },
      h("td", {}, link),
      h("td", { class: "wrap" }, o.customerName ? h("div", {}, o.customerName) : null,
        o.customerEmail ? h("div", { class: "muted small" }, o.customerEmail) : null),
      h("td", { class: "wrap" }, h("ul", { class: "due-items" },
        o.items.map((i) => h("li", {}, t("due.item", { quantity: i.quantity, name: i.name }))))),
      h("td", {}, h("div", {}, formatDate(o.shipByDate, false)), h("div", { class: o.due === "LATE" ? "due-late small" : "muted small" }, when(o)),
        o.incidentId ? h("div", { class: "small" }, h("button", { type: "button", class: "link-button", onclick: () => openIncident(o.incidentId) },
          t("due.incident"))) : null),
      h("td", {}, o.shippingMethod || "—"));
  }

  function when(o) {
    if (o.due === "LATE") return t("due.late", { days: tn("detail.days", o.businessDaysLate) });
    return t(o.due === "TODAY" ? "due.today" : "due.tomorrow", { left: formatMinutes(o.minutesLeft) });
  }

  load();
  return { element: card, refresh: load };
}
