// The policy document as a form. The document (`draft`) is the only state: every control writes its
// value at its path (data-path) and the server's validator says what is wrong, at the same paths.
import { checkbox, clear, field, h, select } from "./dom.js";
import { kindText, offerName } from "./explain.js";
import { t } from "./i18n.js";

// The kinds a rule may name; a customer's report is matched by its own rules (when.max_proposal_value), not here.
export const KINDS = ["late_shipment", "late_delivery", "attempt_failed", "pickup_waiting", "held", "stalled", "at_risk", "lost", "returned", "wrong_item"];
// What detection can switch off: late_delivery stands for every carrier situation (watch/deliveries.py).
const DETECTED = ["late_shipment", "late_delivery", "stalled", "wrong_item"];
const NEW_RULE_KINDS = ["late_shipment", "late_delivery", "attempt_failed", "pickup_waiting", "held", "stalled", "lost", "returned"];
const OFFER_DEFAULTS = {
  apology_only: {}, gift_card: { amount: 10, expires_in_days: 365 }, free_shipping_voucher: { expires_in_days: 90 },
  // reship: no keep-it discount unless the merchant sets one (the app does not pay it by itself)
  gift_product: { sku: "", quantity: 1 }, partial_refund: { percent: 10 }, reship: {},
};
const OFFER_TYPES = Object.keys(OFFER_DEFAULTS);
// Each promise key with its kind; its label is t("pf.<key>") and its hint t("pf.<key>_hint").
const PROMISE_KEYS = [
  ["handling_days", "int"], ["cutoff_hour", "int"], ["delivery_grace_days", "int"],
  ["default_delivery_days", "int"], ["country", "text"], ["timezone", "text"],
];
const countFrom = () => [["paid", t("pf.count_from.paid")], ["created", t("pf.count_from.created")]];

// -- paths and values --------------------------------------------------------------------------
export const dotted = (serverPath) => serverPath.replace(/\[(\d+)\]/g, ".$1").replace(/\["([^"]*)"\]/g, ".$1").replace(/^\./, "");

function setPath(doc, path, value) {
  const keys = path.split(".");
  let node = doc;
  for (const key of keys.slice(0, -1)) {
    if (node[key] === undefined || node[key] === null || typeof node[key] !== "object") node[key] = {};
    node = node[key];
  }
  const last = keys[keys.length - 1];
  if (value === undefined) delete node[last]; else node[last] = value;
}

const getPath = (doc, path) => path.split(".").reduce((node, key) => (node == null ? undefined : node[key]), doc);

function parse(kind, raw) {
  const text = String(raw).trim();
  if (kind === "text") return text === "" ? undefined : text;
  if (kind === "select") return raw === "" ? undefined : raw;
  if (kind === "tri") return raw === "" ? undefined : raw === "true";
  if (text === "") return undefined;
  if (kind === "int") return /^-?\d+$/.test(text) ? Number(text) : text;
  if (kind === "number") return Number.isFinite(Number(text)) ? Number(text) : text;
  if (kind === "list") return text.split(",").map((s) => s.trim()).filter(Boolean);
  if (kind === "amount") {  // "15" or "EUR 15, PLN 60"
    if (Number.isFinite(Number(text))) return Number(text);
    const pairs = text.split(",").map((p) => p.trim().match(/^([A-Za-z]{3})\s*[:=]?\s*(-?\d+(?:\.\d+)?)$/));
    if (pairs.every(Boolean)) return Object.fromEntries(pairs.map((m) => [m[1].toUpperCase(), Number(m[2])]));
    return text;  // the server explains what is wrong with it
  }
  return raw;
}

function shown(kind, value) {
  if (value === undefined || value === null) return "";
  if (kind === "list" && Array.isArray(value)) return value.join(", ");
  if (kind === "amount" && typeof value === "object") return Object.entries(value).map(([c, v]) => `${c} ${v}`).join(", ");
  if (kind === "tri") return String(value);
  return String(value);
}

export const offerType = (offer) => (typeof offer === "string" ? offer : Object.keys(offer || {})[0] || "apology_only");

// -- which offers fit which kinds (the server's table, policy.offerFit, from care/situations.py) ----------
/** {kind: {offer: reason}} from the API's list of {kind, offers, unfit {offer reason}}. */
export const fitTable = (offerFit) => Object.fromEntries((offerFit || []).map((f) => [f.kind, Object.fromEntries(f.unfit.map((u) => [u.offer, u.reason]))]));

/** Why `offer` cannot go with these kinds, in the server's words; empty when it fits every one. */
export const unfitReasons = (fit, kinds, offer) => [...new Set([].concat(kinds || []).map((k) => fit[k]?.[offer]).filter(Boolean))];

/** The offers a rule naming these kinds may give; no kinds named: any (the rule then matches the kinds it fits). */
export const fittingOffers = (fit, kinds) => OFFER_TYPES.filter((o) => !unfitReasons(fit, kinds, o).length);

// -- the form ------------------------------------------------------------------------------------
export function renderPolicyForm(root, draft, onChange, offerFit) {
  const changed = () => onChange();
  const fit = fitTable(offerFit);
  const refits = {};  // kinds path -> redraws that rule's offer choices and says why its offer does not fit

  function control(path, kind, attrs = {}) {
    const value = getPath(draft, path);
    const numeric = kind === "int" ? "numeric" : kind === "number" || kind === "amount" ? "decimal" : undefined;
    return h("input", { type: "text", inputmode: numeric, autocomplete: "off", value: shown(kind, value), dataset: { path, kind }, ...attrs });
  }
  const input = (label, path, kind, hint, attrs) => field(label, control(path, kind, attrs), { hint });
  const choice = (label, path, options, hint, cls) => field(label, select(options, shown("select", getPath(draft, path)), { dataset: { path, kind: "select" } }), { hint, cls });
  const group = (path, ...children) => h("div", { dataset: { group: path } }, h("div", { class: "group-error", role: "alert" }), ...children);
  const section = (title, note, path, ...children) => h("section", { class: "card", dataset: { group: path } },
    h("h2", {}, title), note ? h("p", { class: "muted" }, note) : null, h("div", { class: "group-error", role: "alert" }), ...children);

  function senderSection() {
    return section(t("pf.sender"), t("pf.sender_note"), "sender",
      h("div", { class: "grid wide" }, input(t("pf.sender_name"), "sender.name", "text"), input(t("pf.sender_email"), "sender.email", "text")));
  }

  function promisesSection() {
    return section(t("pf.promises"), t("pf.promises_note"), "promises",
      h("div", { class: "grid" },
        choice(t("pf.count_from"), "promises.count_from", countFrom()),
        PROMISE_KEYS.map(([key, kind]) => input(t(`pf.${key}`), `promises.${key}`, kind, t(`pf.${key}_hint`)))),
      h("h3", { style: "margin-top:16px" }, t("pf.per_channel")),
      h("p", { class: "muted small" }, t("pf.per_channel_note")),
      mapEditor("promises.channels", "channel", channelRow, () => ({}), t("pf.add_channel")));
  }

  function channelRow(slug, values, update) {
    const put = (key, kind) => (event) => { values[key] = parse(kind, event.target.value); if (values[key] === undefined) delete values[key]; update(); };
    const cell = (key, label, kind) => field(label, h("input", {
      type: "text", value: shown(kind, values[key]), dataset: { errorPath: `promises.channels.${slug}.${key}` }, oninput: put(key, kind),
    }));
    return [
      field(t("pf.channel_count_from"), select([["", t("pf.same")], ...countFrom()], values.count_from ?? "", {
        dataset: { errorPath: `promises.channels.${slug}.count_from` }, onchange: put("count_from", "select") })),
      PROMISE_KEYS.map(([key, kind]) => cell(key, t(`pf.${key}`), kind)),
    ];
  }

  function detectionSection() {
    const label = (key) => ({ late_delivery: t("pf.detect_carrier"), stalled: t("pf.detect_stalled") })[key] ?? kindText(key);
    const flag = (key) => checkbox(label(key), getPath(draft, `detection.${key}`) !== false, { dataset: { path: `detection.${key}`, kind: "bool" } });
    return section(t("pf.detection"), t("pf.detection_note"), "detection",
      h("div", { class: "row", style: "gap:20px;margin-bottom:12px" }, DETECTED.map(flag),
        checkbox(t("pf.at_risk_notify"), getPath(draft, "detection.at_risk.notify_customer") === true,
          { dataset: { path: "detection.at_risk.notify_customer", kind: "bool" } })),
      h("div", { class: "grid wide" },
        input(t("pf.stall_floor_hours"), "detection.stall_floor_hours", "int", t("pf.stall_floor_hours_hint")),
        input(t("pf.at_risk_below"), "detection.at_risk.below_probability", "number", t("pf.at_risk_hint")),
        input(t("pf.status_key"), "detection.delivery_status_key", "text", t("pf.status_key_hint")),
        input(t("pf.scanned_key"), "detection.scanned_skus_key", "text", t("pf.scanned_key_hint"))));
  }

  function limitsSection() {
    const money = (title, path, hint) => h("div", {}, h("h3", { style: "margin-top:16px" }, title), h("p", { class: "muted small" }, hint),
      mapEditor(path, "currency", amountRow(path), () => 0, t("pf.add_currency")));
    return section(t("pf.limits"), t("pf.limits_note"), "limits",
      h("div", { class: "grid" },
        input(t("pf.per_customer"), "limits.per_customer.max", "int"),
        input(t("pf.within_days"), "limits.per_customer.days", "int")),
      money(t("pf.budget"), "limits.monthly_budget", t("pf.budget_hint")),
      money(t("pf.approval_above"), "limits.manual_approval_above", t("pf.approval_above_hint")));
  }

  const amountRow = (path) => (currency, value, update, set) => [
    field(t("pf.amount"), h("input", { type: "text", inputmode: "decimal", value: shown("number", value),
      dataset: { errorPath: `${path}.${currency}` }, oninput: (e) => { set(parse("number", e.target.value) ?? ""); update(); } })),
  ];

  // A mapping edited as rows (key + fields); the whole mapping is written back on every change.
  function mapEditor(path, keyName, rowFields, fresh, addLabel) {
    const box = h("div", { dataset: { group: path } }, h("div", { class: "group-error", role: "alert" }));
    const rows = Object.entries(getPath(draft, path) || {}).map(([key, value]) => ({ key, value }));
    const norm = (k) => (keyName === "currency" ? k.trim().toUpperCase() : k.trim());
    const keyLabel = keyName === "currency" ? t("pf.currency") : t("pf.channel_slug");
    const removeLabel = (key) => (key ? t("pf.remove", { name: key }) : t(`pf.remove_${keyName}`));
    const write = () => {
      const out = {};
      for (const row of rows) if (norm(row.key)) out[norm(row.key)] = row.value;
      setPath(draft, path, Object.keys(out).length ? out : (path === "promises.channels" ? undefined : {}));
      changed();
    };
    const list = h("div");
    const draw = (focusLast = false) => {
      clear(list, rows.map((row, i) => {
        let rowBox = null;
        const key = h("input", { type: "text", value: row.key, placeholder: keyName === "currency" ? "EUR" : t("pf.channel_placeholder"),
          dataset: { errorPath: `${path}.${norm(row.key)}` }, oninput: (e) => {
            // Re-key the row's error slots in place: redrawing here would drop the focus mid-edit.
            const before = `${path}.${norm(row.key)}`;
            row.key = e.target.value;
            for (const el of rowBox.querySelectorAll("[data-error-path]")) {
              el.dataset.errorPath = `${path}.${norm(row.key)}${el.dataset.errorPath.slice(before.length)}`;
            }
            rowBox.querySelector("button").setAttribute("aria-label", removeLabel(row.key));
            write();
          } });
        rowBox = h("div", { class: keyName === "channel" ? "channel-row" : "map-row" },
          field(keyLabel, key, { cls: keyName === "channel" ? "slug" : "" }),
          rowFields(norm(row.key), row.value, write, (v) => { row.value = v; }),
          h("button", { type: "button", class: "ghost danger small", "aria-label": removeLabel(row.key),
            onclick: () => { rows.splice(i, 1); write(); draw(); } }, t("pf.remove_button")));
        return rowBox;
      }));
      if (focusLast) list.querySelector(".map-row:last-child input, .channel-row:last-child input")?.focus();
    };
    draw();
    box.append(list, h("button", { type: "button", class: "small", onclick: () => { rows.push({ key: "", value: fresh() }); draw(true); } }, addLabel));
    return box;
  }

  // -- rules -----------------------------------------------------------------------------------
  function rulesSection() {
    const list = h("div");
    const add = h("button", { type: "button", onclick: () => {
      draft.rules = draft.rules || [];
      draft.rules.push({ name: t("pf.rule", { number: draft.rules.length + 1 }), when: { kinds: [...NEW_RULE_KINDS] },
        offer: { free_shipping_voucher: { expires_in_days: 90 } }, approval: "auto" });
      changed(); drawRules(list); list.querySelector(".rule:last-child input")?.focus();
    } }, t("pf.add_rule"));
    drawRules(list);
    return section(t("pf.rules"), t("pf.rules_note"), "rules", list, add);
  }

  function drawRules(list, focus) {
    const rules = draft.rules || [];
    for (const path of Object.keys(refits)) delete refits[path];  // the cards below register their own
    clear(list, rules.length ? rules.map((rule, i) => ruleCard(list, rule, i, rules.length)) : h("p", { class: "empty" }, t("pf.no_rules")));
    for (const selector of [].concat(focus || [])) {
      const target = list.querySelector(selector);
      if (target) { target.focus(); break; }
    }
  }

  function ruleCard(list, rule, i, count) {
    const base = `rules.${i}`;
    const move = (to, way, disabled) => h("button", { type: "button", class: "small", disabled,
      "aria-label": t(`pf.move_${way}`, { number: i + 1 }), dataset: { move: way }, onclick: () => {
        const [item] = draft.rules.splice(i, 1);
        draft.rules.splice(to, 0, item); changed();
        const card = `.rule:nth-child(${to + 1})`;
        drawRules(list, [`${card} [data-move="${way}"]:not([disabled])`, `${card} [data-move]:not([disabled])`]);
      } }, t(`pf.${way}`));
    const type = offerType(rule.offer);
    const typeSelect = select([], type, { onchange: (e) => {
      draft.rules[i].offer = { [e.target.value]: { ...OFFER_DEFAULTS[e.target.value] } }; changed();
      drawRules(list, `.rule:nth-child(${i + 1}) .offer-type`);
    }, class: "offer-type", dataset: { errorPath: `${base}.offer` } });
    const give = field(t("pf.give"), typeSelect);
    // Only the offers that fit every kind ticked; the chosen one stays (never changed behind the merchant's
    // back) and, when the kinds changed under it, the slot says why it no longer fits.
    refits[`${base}.when.kinds`] = () => {
      const kinds = draft.rules[i]?.when?.kinds;
      const fitting = fittingOffers(fit, kinds);
      clear(typeSelect, OFFER_TYPES.filter((o) => o === type || fitting.includes(o)).map((o) => h("option", { value: o }, offerName(o))));
      typeSelect.value = type;
      const reasons = unfitReasons(fit, kinds, type);
      const slot = give.querySelector(".field-error");
      if (reasons.length) {
        slot.textContent = slot.dataset.fit = t("pf.unfit", { reason: reasons.join("; ") });
        typeSelect.setAttribute("aria-invalid", "true");
      } else if (slot.dataset.fit) {
        if (slot.textContent === slot.dataset.fit) {  // ours, not a server error written since
          slot.textContent = "";
          typeSelect.removeAttribute("aria-invalid");
        }
        delete slot.dataset.fit;
      }
    };
    refits[`${base}.when.kinds`]();
    return h("article", { class: "rule", dataset: { group: base }, "aria-label": t("pf.rule", { number: i + 1 }) },
      h("div", { class: "group-error", role: "alert" }),
      h("div", { class: "rule-head" },
        h("span", { class: "rule-order", "aria-hidden": "true" }, `${i + 1}.`),
        input(t("pf.rule_name"), `${base}.name`, "text"),
        choice(t("pf.approval"), `${base}.approval`, [["auto", t("pf.approval.auto")], ["manual", t("pf.approval.manual")]], undefined, "approval"),
        move(i - 1, "up", i === 0), move(i + 1, "down", i === count - 1),
        h("button", { type: "button", class: "small danger", "aria-label": t("pf.delete_rule", { number: i + 1 }), onclick: () => {
          draft.rules.splice(i, 1); changed(); drawRules(list, ".rule:last-child input");
        } }, t("pf.delete"))),
      h("h3", {}, t("pf.when")),
      group(`${base}.when`, h("div", { class: "grid" },
        kindsField(`${base}.when.kinds`, rule.when?.kinds),
        input(t("pf.min_days_late"), `${base}.when.min_days_late`, "int"),
        input(t("pf.channels"), `${base}.when.channels`, "list", t("pf.channels_hint")),
        input(t("pf.min_total"), `${base}.when.min_order_total`, "amount", t("pf.min_total_hint")),
        input(t("pf.max_total"), `${base}.when.max_order_total`, "amount"),
        choice(t("pf.customer"), `${base}.when.first_order`,
          [["", t("pf.customer.any")], ["true", t("pf.customer.first")], ["false", t("pf.customer.returning")]]))),
      h("h3", {}, t("pf.offer")),
      group(`${base}.offer`, h("div", { class: "grid" }, give, offerFields(`${base}.offer.${type}`, type))));
  }

  function kindsField(path, kinds) {
    const chosen = kinds === undefined || kinds === null ? [] : [].concat(kinds);
    return h("fieldset", { dataset: { group: path } }, h("legend", { class: "legend" }, t("pf.problems")),
      h("div", { class: "row" }, KINDS.map((k) => checkbox(kindText(k), chosen.includes(k), { dataset: { kindsPath: path, value: k } }))),
      h("div", { class: "group-error", role: "alert" }));
  }

  function offerFields(path, type) {
    const days = () => input(t("pf.expires_days"), `${path}.expires_in_days`, "int", t("pf.expires_days_hint"));
    switch (type) {
      case "gift_card": return [
        input(t("pf.amount"), `${path}.amount`, "amount", t("pf.amount_hint")),
        input(t("pf.or_percent_of_order"), `${path}.percent_of_order`, "number"),
        input(t("pf.max_amount"), `${path}.max_amount`, "amount"), days()];
      case "free_shipping_voucher": return [days()];
      case "gift_product": return [input(t("pf.sku"), `${path}.sku`, "text"), input(t("pf.quantity"), `${path}.quantity`, "int")];
      case "partial_refund": return [input(t("pf.percent_of_order"), `${path}.percent`, "number"), input(t("pf.or_amount"), `${path}.amount`, "amount")];
      case "reship": return [input(t("pf.keep_discount"), `${path}.keep_item_discount_percent`, "number")];
      default: return [h("p", { class: "muted", style: "align-self:end" }, t("pf.apology_only"))];
    }
  }

  // One listener for every simple control.
  const onEdit = (event) => {
    const el = event.target;
    if (el.dataset.kindsPath) {
      const ticked = [...root.querySelectorAll(`[data-kinds-path="${el.dataset.kindsPath}"]`)].filter((c) => c.checked).map((c) => c.dataset.value);
      setPath(draft, el.dataset.kindsPath, ticked.length ? ticked : undefined);
      refits[el.dataset.kindsPath]?.();
    } else if (el.dataset.path) {
      const value = el.dataset.kind === "bool" ? el.checked : parse(el.dataset.kind, el.value);
      setPath(draft, el.dataset.path, value);
      if (el.dataset.path.startsWith("sender.") && draft.sender && !draft.sender.name && !draft.sender.email) delete draft.sender;
    } else return;
    el.removeAttribute("aria-invalid");
    changed();
  };
  root.oninput = onEdit;
  root.onchange = (event) => { if (event.target.type === "checkbox" || event.target.tagName === "SELECT") onEdit(event); };

  clear(root, senderSection(), promisesSection(), detectionSection(), limitsSection(), rulesSection());

  return {
    showErrors(errors) {
      for (const el of root.querySelectorAll("[aria-invalid]")) el.removeAttribute("aria-invalid");
      for (const el of root.querySelectorAll(".field-error, .group-error")) el.textContent = "";
      const unplaced = [];
      for (const error of errors) {
        const target = locate(root, error.path);
        if (target?.control) {
          target.control.setAttribute("aria-invalid", "true");
          document.getElementById(target.control.getAttribute("aria-describedby")).textContent = error.message;
        } else if (target?.group) {
          const slot = target.group.querySelector(":scope > .group-error");
          slot.textContent = [slot.textContent, `${error.path}: ${error.message}`].filter(Boolean).join(" · ");
        } else unplaced.push(error);
      }
      for (const refit of Object.values(refits)) refit();  // an offer that does not fit says why, in the page's words
      return unplaced;
    },
  };
}

/** The control (or the nearest enclosing group) a server path points at. */
export function locate(root, serverPath) {
  const path = dotted(serverPath);
  const control = root.querySelector(`[data-path="${CSS.escape(path)}"], [data-error-path="${CSS.escape(path)}"]`);
  if (control && control.getAttribute("aria-describedby")) return { control };
  const parts = path.split(".");
  while (parts.length) {
    const group = root.querySelector(`[data-group="${CSS.escape(parts.join("."))}"]`);
    if (group) return { group };
    parts.pop();
  }
  return null;
}
