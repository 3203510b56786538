// "Report a delivery problem" from an order's menu: what went wrong, the items (the ones sent instead picked
// from the catalogue by name or SKU), then a plain confirmation with what the customer gets and a link.
import { gql } from "./api.js";
import { appPagePath, context, notify, on, redirect, send, start } from "./bridge.js";
import { banner, busy, checkbox, clear, field, formatMoney, h, uid } from "./dom.js";
import { decisionBlock, kindText, stateText } from "./explain.js";
import { t, useLocale } from "./i18n.js";
import { decideButtons, INCIDENT_FIELDS } from "./incident_parts.js";

const ORDER = `query Order($id: ID!) { trackedOrder(orderId: $id) { number channel channelName lines { sku name quantity }
  incidents { id kind state } } }`;
const SEARCH = `query Search($order: ID!, $search: String!) { catalogueSearch(orderId: $order, search: $search) { sku name price currency } }`;
const REPORT = `mutation Report($orderId: ID!, $kind: IncidentKind!, $note: String, $expected: [String!], $sent: [String!]) {
  reportIncident(orderId: $orderId, kind: $kind, note: $note, expectedSkus: $expected, sentSkus: $sent) {
    created incident { ${INCIDENT_FIELDS} } } }`;
const STATUS = `query Incident($id: ID!) { incident(id: $id) { ${INCIDENT_FIELDS} } }`;

const root = document.getElementById("report");
const close = () => send("popupClose");

async function main() {
  if (!context.orderId) { clear(root, banner("error", t("report.no_order"))); return; }
  let order;
  try {
    ({ trackedOrder: order } = await gql(ORDER, { id: context.orderId }));
  } catch (error) {
    clear(root, banner("error", error.message));
    return;
  }
  if (!order) {
    clear(root, banner("info", t("widget.untracked")), h("div", { class: "decide" }, h("button", { type: "button", onclick: close }, t("report.close"))));
    return;
  }
  renderForm(order);
}

function renderForm(order) {
  const notices = h("div");
  const kinds = ["WRONG_ITEM", "LATE_SHIPMENT", "LATE_DELIVERY"].map((k, i) =>
    h("label", { class: "check" }, h("input", { type: "radio", name: "kind", value: k, checked: i === 0 }), kindText(k)));
  const expected = order.lines.filter((l) => l.sku).map((l) => checkbox(l.quantity > 1 ? `${l.name} × ${l.quantity}` : l.name, false, { value: l.sku }));
  const picker = sentPicker(order);
  const note = h("textarea", { rows: 3, placeholder: t("report.note_hint") });
  const expectedError = h("div", { class: "field-error", role: "alert" });
  const wrongItem = h("div", { class: "stack" },
    h("fieldset", {}, h("legend", { class: "legend" }, t("report.expected")), h("div", { class: "choices" }, expected), expectedError),
    picker.element);
  const submit = h("button", { type: "submit", class: "primary" }, t("report.submit"));
  const existing = order.incidents.length ? banner("info", t("report.already"), " ",
    order.incidents.map((i) => `${kindText(i.kind)} (${stateText(i.state)})`).join(", ")) : null;

  const form = h("form", { class: "stack", onsubmit: (event) => { event.preventDefault(); busy(submit, report()); } },
    h("p", { class: "muted" }, t("report.order", { number: order.number, channel: order.channelName })), existing,
    h("fieldset", {}, h("legend", { class: "legend" }, t("report.what")), h("div", { class: "row", style: "gap:16px" }, kinds)),
    wrongItem, field(t("report.note"), note), notices,
    h("div", { class: "decide" }, h("button", { type: "button", onclick: close }, t("report.cancel")), submit));
  const chosenKind = () => form.querySelector('input[name="kind"]:checked').value;
  form.addEventListener("change", () => { wrongItem.hidden = chosenKind() !== "WRONG_ITEM"; expectedError.textContent = ""; });
  clear(root, form);

  async function report() {
    const kind = chosenKind();
    const skus = expected.map((l) => l.querySelector("input")).filter((i) => i.checked).map((i) => i.value);
    if (kind === "WRONG_ITEM" && !skus.length) {
      expectedError.textContent = t("report.tick_expected");
      expected[0]?.querySelector("input").focus();
      return;
    }
    if (kind === "WRONG_ITEM" && !(await picker.settle())) return;
    try {
      const { reportIncident: result } = await gql(REPORT, {
        orderId: context.orderId, kind, note: note.value.trim() || null,
        expected: kind === "WRONG_ITEM" ? skus : null, sent: kind === "WRONG_ITEM" ? picker.skus() : null,
      });
      done(order, result);
    } catch (error) {
      clear(notices, banner("error", error.message));
    }
  }
}

/** Search the catalogue by name or SKU; picked items show as removable chips. */
function sentPicker(order) {
  const picked = new Map();
  const input = h("input", { type: "search", autocomplete: "off", placeholder: t("report.search_hint"), role: "combobox",
    "aria-expanded": "false", "aria-autocomplete": "list" });
  const list = h("ul", { class: "options", role: "listbox", id: uid("options"), hidden: true });
  input.setAttribute("aria-controls", list.id);
  const chips = h("div", { class: "chips", "aria-live": "polite" });
  const error = h("div", { class: "field-error", role: "alert" });
  let timer = null;
  let sequence = 0;

  const showChips = () => clear(chips, [...picked.values()].map((item) => h("span", { class: "chip" }, item.name,
    h("button", { type: "button", class: "ghost small", "aria-label": t("report.remove", { name: item.name }),
      onclick: () => { picked.delete(item.sku); showChips(); } }, "×"))));
  const pick = (item) => { picked.set(item.sku, item); showChips(); input.value = ""; list.hidden = true; input.setAttribute("aria-expanded", "false"); input.focus(); };

  input.addEventListener("input", () => {
    error.textContent = "";
    clearTimeout(timer);
    timer = setTimeout(async () => {
      const mine = ++sequence;
      const words = input.value.trim();
      if (words.length < 2) { list.hidden = true; return; }
      try {
        const { catalogueSearch: found } = await gql(SEARCH, { order: context.orderId, search: words });
        if (mine !== sequence) return;
        clear(list, found.length ? found.map((item) => h("li", { role: "option" },
          h("button", { type: "button", class: "option", onclick: () => pick(item) },
            h("span", {}, item.name), h("span", { class: "muted small" }, [item.sku, item.price ? formatMoney(item.price, item.currency) : null].filter(Boolean).join(" · ")))))
          : h("li", { class: "muted small", style: "padding:8px 10px" }, t("report.no_match")));
        list.hidden = false;
        input.setAttribute("aria-expanded", "true");
      } catch (error) {
        clear(list, h("li", { class: "field-error", style: "padding:8px 10px" }, error.message));
        list.hidden = false;
      }
    }, 250);
  });
  return {
    element: h("div", { class: "field picker" }, h("label", { for: input.id = uid() }, t("report.sent")), input, list, error, chips),
    skus: () => [...picked.keys()],
    /** Text typed but not picked is never dropped: an exact SKU is taken as picked; anything else must be picked. */
    settle: async () => {
      const typed = input.value.trim();
      if (!typed) return true;
      clearTimeout(timer);
      sequence++;
      const { catalogueSearch: found } = await gql(SEARCH, { order: context.orderId, search: typed });
      const exact = found.find((item) => item.sku && item.sku.toLowerCase() === typed.toLowerCase());
      if (exact) {
        pick(exact);
        return true;
      }
      error.textContent = t("report.pick_sent", { typed });
      input.focus();
      return false;
    },
  };
}

function done(order, result) {
  const box = h("div");
  const show = (incident) => clear(box,
    h("p", { role: "status" }, h("strong", {}, result.created ? t("report.done", { number: order.number }) : t("report.duplicate", { number: order.number }))),
    h("div", { class: "banner info" }, decisionBlock(incident)),
    incident.state === "pending_approval" ? decideButtons(incident, { compact: true,
      onDone: async () => show((await gql(STATUS, { id: incident.id })).incident),
      onError: (_, error) => box.append(banner("error", error.message)) }) : null);
  const openLink = h("a", { href: "#", onclick: (e) => {
    e.preventDefault();
    redirect(appPagePath({ tab: "incidents", incident: result.incident.id }));
    close();
  } }, t("report.open_incident"));
  const closeButton = h("button", { type: "button", onclick: close }, t("report.close"));
  clear(root, box, h("div", { class: "spread", style: "margin-top:16px" }, openLink, closeButton));
  show(result.incident);
  if (result.created) notify("success", t("report.notified"), t("report.order", { number: order.number, channel: order.channelName }));
  let tries = 0;
  const poll = async () => {  // the decision comes from the worker a moment later
    if (++tries > 8) return;
    const { incident } = await gql(STATUS, { id: result.incident.id });
    show(incident);
    if (!incident.decision) setTimeout(poll, 1000);
  };
  if (!result.incident.decision) setTimeout(poll, 1000);
  closeButton.focus();
}

if (start()) {
  let language = null;
  on("locale", async (locale) => { const next = await useLocale(locale); if (next !== language && language) { language = next; main(); } });
  useLocale().then((next) => { language = next; main(); });
}
