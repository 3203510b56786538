// The dashboard's date pattern: named periods in a select, never a raw mm/dd/yyyy box.
import { context } from "./bridge.js";
import { select } from "./dom.js";

const iso = (d) => `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, "0")}-${String(d.getDate()).padStart(2, "0")}`;
const daysAgo = (n) => { const d = new Date(); d.setDate(d.getDate() - n); return d; };

const PERIODS = {
  "": () => ({ from: null, to: null }),
  today: () => ({ from: iso(new Date()), to: iso(new Date()) }),
  last7: () => ({ from: iso(daysAgo(6)), to: null }),
  last30: () => ({ from: iso(daysAgo(29)), to: null }),
  thisMonth: () => { const d = new Date(); return { from: iso(new Date(d.getFullYear(), d.getMonth(), 1)), to: null }; },
  lastMonth: () => {
    const d = new Date();
    return { from: iso(new Date(d.getFullYear(), d.getMonth() - 1, 1)), to: iso(new Date(d.getFullYear(), d.getMonth(), 0)) };
  },
};

/** A select of periods (labels from `t`) and `range()` giving {from, to} as YYYY-MM-DD or null. */
export function periodSelect(t) {
  const control = select(Object.keys(PERIODS).map((k) => [k, t(`period.${k || "any"}`)]), "");
  return { control, range: () => PERIODS[control.value](), clear: () => { control.value = ""; } };
}

/** `count` months up to `latest` (YYYY-MM, default this month) as options ("November 2026"), newest first. */
export function monthOptions(count = 12, latest = null) {
  const format = new Intl.DateTimeFormat(context.locale, { month: "long", year: "numeric" });
  const now = latest ? new Date(Number(latest.slice(0, 4)), Number(latest.slice(5, 7)) - 1, 1) : new Date();
  return Array.from({ length: count }, (_, i) => {
    const d = new Date(now.getFullYear(), now.getMonth() - i, 1);
    return [`${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, "0")}`, format.format(d)];
  });
}
