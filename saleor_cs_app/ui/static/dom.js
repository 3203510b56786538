// Small DOM helpers: elements are built with textContent, never from HTML strings.
import { context } from "./bridge.js";

let nextId = 0;
export const uid = (prefix = "f") => `${prefix}-${++nextId}`;

export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  let value;
  for (const [key, v] of Object.entries(attrs || {})) {
    if (v === undefined || v === null || v === false) continue;
    if (key === "class") el.className = v;
    else if (key === "dataset") Object.assign(el.dataset, v);
    else if (key.startsWith("on") && typeof v === "function") el.addEventListener(key.slice(2), v);
    else if (key === "value") value = v;
    else if (key === "checked") el.checked = Boolean(v);
    else if (v === true) el.setAttribute(key, "");
    else el.setAttribute(key, String(v));
  }
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    el.append(child instanceof Node ? child : String(child));
  }
  if (value !== undefined) el.value = value;  // after the options of a <select> exist
  return el;
}

export function clear(el, ...children) {
  el.replaceChildren(...children.flat(Infinity).filter((c) => c !== null && c !== undefined && c !== false));
  return el;
}

/** A labelled control with its hint and an error slot the server's messages go into. */
export function field(label, control, { hint, cls } = {}) {
  control.id = control.id || uid();
  const error = h("div", { class: "field-error", id: uid("err"), "aria-live": "polite" });
  control.setAttribute("aria-describedby", error.id);
  return h("div", { class: `field ${cls || ""}` },
    h("label", { for: control.id }, label), control, hint ? h("div", { class: "hint" }, hint) : null, error);
}

export function select(options, value, attrs = {}) {
  return h("select", { ...attrs, value: value ?? "" },
    options.map(([v, label]) => h("option", { value: v }, label)));
}

export function checkbox(label, checked, attrs = {}) {
  const input = h("input", { type: "checkbox", checked, ...attrs });
  return h("label", { class: "check" }, input, label);
}

export function banner(kind, ...children) {
  return h("div", { class: `banner ${kind}`, role: kind === "error" ? "alert" : "status" }, ...children);
}

export function toast(text) {
  const box = document.getElementById("toast");
  const item = h("div", {}, text);
  box.append(item);
  setTimeout(() => item.remove(), 4000);
}

// -- formats (the words are in strings/<lang>.js) --------------------------------------------
export function formatDate(iso, withTime = true) {
  if (!iso) return "—";
  const date = new Date(iso);
  try {
    return new Intl.DateTimeFormat(context.locale, withTime
      ? { dateStyle: "medium", timeStyle: "short" } : { dateStyle: "medium" }).format(date);
  } catch { return date.toISOString(); }
}

export function formatMoney(amount, currency) {
  if (amount === null || amount === undefined) return "—";
  try {
    return new Intl.NumberFormat(context.locale, { style: "currency", currency }).format(Number(amount));
  } catch { return `${currency} ${amount}`; }
}

/** A language code ("fr", or Saleor's "FR_CA") as the locale names it: "French", "kanadanranska". */
export function formatLanguage(code) {
  if (!code) return "—";
  const tag = code.replace("_", "-");
  try { return new Intl.DisplayNames([context.locale], { type: "language" }).of(tag) ?? code; } catch { return code; }
}

/** 50 → "50 %" / "50%" as the locale writes it. */
export function formatPercent(value) {
  try { return new Intl.NumberFormat(context.locale, { style: "percent", maximumFractionDigits: 2 }).format(Number(value) / 100); }
  catch { return `${value} %`; }
}

export function formatMinutes(minutes) {
  if (minutes === null || minutes === undefined) return "—";
  const [value, unit] = minutes < 90 ? [Math.max(1, Math.round(minutes)), "minute"]
    : minutes < 60 * 48 ? [minutes / 60, "hour"] : [minutes / 1440, "day"];
  const text = new Intl.NumberFormat(context.locale, { style: "unit", unit, unitDisplay: "short", maximumFractionDigits: 1 }).format(value);
  return minutes < 1 ? `< ${text}` : text;
}

export function busy(button, promise) {
  button.disabled = true;
  button.setAttribute("aria-busy", "true");
  return promise.finally(() => { button.disabled = false; button.removeAttribute("aria-busy"); });
}
