// The Messages tab: pick kind × language × offer, edit the override, see it rendered with sample values.
import { gql } from "./api.js";
import { notify } from "./bridge.js";
import { context } from "./bridge.js";
import { banner, busy, clear, field, formatLanguage, h, select, toast } from "./dom.js";
import { kindText, offerName } from "./explain.js";
import { t } from "./i18n.js";
import { brandCard } from "./brand.js";
import { mailServerCard } from "./mail_server.js";

const CATALOG = `query Catalog { messageCatalog { kinds languages offers variables { name description } shopName currencies sampleOrder sampleCurrency }
  policy { document version offerFit { kind offers } } }`;
const BUILTIN = `query Builtin($kind: IncidentKind!, $language: String!, $offer: OfferType!) {
  builtinMessage(kind: $kind, language: $language, offer: $offer) { subject text } }`;
const POLICY = `query Policy { policy { document version createdAt createdBy history { version createdAt createdBy } } }`;
const PREVIEW = `mutation Preview($kind: IncidentKind!, $language: String!, $offer: OfferType!, $override: JSON, $currency: String) {
  previewMessage(kind: $kind, language: $language, offer: $offer, override: $override, currency: $currency) { subject text html language overrideError } }`;
const SAVE = `mutation Save($policy: JSON!) { updatePolicy(policy: $policy) { ok errors { path message }
  policy { document version createdAt createdBy history { version createdAt createdBy } } } }`;

export function mountMessages(panel) {
  let templates = {};
  let lastFocused = null;
  let sequence = 0;
  let timer = null;
  let builtin = { subject: "", text: "" };
  let offers = [];
  let offersFor = {};  // kind -> the offers a policy may give for it: no message exists for the others

  const kind = select([], "");
  const language = select([], "");
  const offer = select([], "");
  const currency = select([], "");
  const source = h("p", { class: "muted small" });
  const status = h("span", { class: "badge" });
  const notices = h("div");
  const subject = h("input", { type: "text", autocomplete: "off" });
  const text = h("textarea", { rows: 10, spellcheck: "true" });
  const html = h("textarea", { rows: 6, class: "code", style: "min-height:120px", spellcheck: "false" });
  const fields = { subject: field(t("msg.subject"), subject), text: field(t("msg.text"), text, { hint: t("msg.text_hint") }),
    html: field(t("msg.html"), html, { hint: t("msg.html_hint") }) };
  for (const el of [subject, text, html]) {
    el.addEventListener("focus", () => { lastFocused = el; });
    el.addEventListener("input", schedulePreview);
  }
  const overrideError = h("div", { class: "banner error", role: "alert", hidden: true });
  const previewSubject = h("div", { class: "preview-subject" });
  const frame = h("iframe", { class: "preview-frame", sandbox: "", title: t("msg.preview_html"), referrerpolicy: "no-referrer" });
  const plain = h("pre", { class: "preview-text", hidden: true });
  const views = [["html", "HTML"], ["text", t("msg.text")]].map(([view, name]) => h("button", { type: "button", class: "small",
    "aria-pressed": String(view === "html"), onclick: () => {
      for (const b of views) b.setAttribute("aria-pressed", String(b.dataset.view === view));
      frame.hidden = view !== "html"; plain.hidden = view === "html";
    }, dataset: { view } }, name));
  const variables = h("dl", { class: "variables" });
  const saveButton = h("button", { type: "button", class: "primary", onclick: () => busy(saveButton, save(false)) }, t("msg.save"));
  const resetButton = h("button", { type: "button", onclick: () => busy(resetButton, save(true)) }, t("msg.reset"));

  clear(panel,
    h("div", { class: "card" },
      h("div", { class: "card-head" }, h("h2", {}, t("msg.title")), status),
      h("p", { class: "muted" }, t("msg.lead")),
      h("div", { class: "grid" }, field(t("msg.problem"), kind), field(t("msg.language"), language), field(t("msg.offer"), offer),
        field(t("msg.currency"), currency)), source),
    notices,
    h("div", { class: "split" },
      h("section", { class: "card", "aria-label": t("msg.override") },
        h("h2", {}, t("msg.override")), fields.subject, fields.text, fields.html,
        h("div", { class: "decide", style: "margin-top:12px" }, resetButton, saveButton),
        h("details", { style: "margin-top:12px" }, h("summary", {}, t("msg.variables")), variables)),
      h("section", { class: "card", "aria-label": t("msg.preview") },
        h("div", { class: "card-head" }, h("h2", {}, t("msg.preview")), h("div", { class: "row", role: "group", "aria-label": t("msg.show") }, views)),
        overrideError, previewSubject, frame, plain)),
    brandCard(),
    mailServerCard());

  kind.addEventListener("change", fillOffers);  // before the preview below asks for the new pair
  for (const el of [kind, language]) el.addEventListener("change", () => loadOverride().then(() => schedulePreview(0)));
  for (const el of [offer, currency]) el.addEventListener("change", () => schedulePreview(0));
  offer.addEventListener("change", () => { if (!Object.keys(templates?.[kind.value]?.[language.value] || {}).length) loadOverride(); });

  function fillOffers() {
    const wanted = offer.value || "gift_card";
    const fitting = offersFor[kind.value] || offers;
    clear(offer, fitting.map((o) => h("option", { value: o }, offerName(o))));
    offer.value = fitting.includes(wanted) ? wanted : fitting.includes("gift_card") ? "gift_card" : fitting[0];
  }

  // The editor starts from the built-in text (with its {{ variables }}); unchanged, it stays the built-in.
  async function loadOverride() {
    const own = templates?.[kind.value]?.[language.value] || {};
    const asked = `${kind.value}/${language.value}/${offer.value}`;
    if (!Object.keys(own).length) {
      try {
        ({ builtinMessage: builtin } = await gql(BUILTIN, { kind: kind.value.toUpperCase(), language: language.value, offer: offer.value.toUpperCase() }));
      } catch (error) { clear(notices, banner("error", error.message)); }
      if (asked !== `${kind.value}/${language.value}/${offer.value}`) return;
    }
    subject.value = own.subject || (Object.keys(own).length ? "" : builtin.subject);
    text.value = own.text || (Object.keys(own).length ? "" : builtin.text);
    html.value = own.html || "";
    status.textContent = Object.keys(own).length ? t("msg.live") : t("msg.builtin");
  }

  function parts() {
    const out = {};
    for (const [key, el] of Object.entries({ subject, text, html })) if (el.value.trim()) out[key] = el.value;
    if (out.subject === builtin.subject && out.text === builtin.text && !out.html) return {};  // untouched built-in
    return out;
  }

  function schedulePreview(delay = 300) {
    clearTimeout(timer);
    timer = setTimeout(preview, typeof delay === "number" ? delay : 300);
  }

  async function preview() {
    const mine = ++sequence;
    const own = parts();
    try {
      const { previewMessage: message } = await gql(PREVIEW, {
        kind: kind.value.toUpperCase(), language: language.value, offer: offer.value.toUpperCase(),
        override: Object.keys(own).length ? own : null, currency: currency.value || null,
      });
      if (mine !== sequence) return;  // a newer edit is on its way
      previewSubject.textContent = message.subject;
      frame.srcdoc = message.html;
      plain.textContent = message.text;
      overrideError.hidden = !message.overrideError;
      overrideError.textContent = message.overrideError ? t("msg.cannot_use", { error: message.overrideError }) : "";
    } catch (error) {
      clear(notices, banner("error", error.message));
    }
  }

  async function save(reset) {
    try {
      const { policy } = await gql(POLICY);
      const doc = structuredClone(policy.document);
      doc.templates = doc.templates || {};
      const own = reset ? {} : parts();
      if (Object.keys(own).length) {
        doc.templates[kind.value] = { ...(doc.templates[kind.value] || {}), [language.value]: own };
      } else if (doc.templates[kind.value]) {
        delete doc.templates[kind.value][language.value];
        if (!Object.keys(doc.templates[kind.value]).length) delete doc.templates[kind.value];
      }
      const { updatePolicy: result } = await gql(SAVE, { policy: doc });
      if (!result.ok) {
        clear(notices, banner("error", h("strong", {}, t("msg.not_saved")), h("ul", {}, result.errors.map((e) => h("li", {}, `${e.path}: ${e.message}`)))));
        return;
      }
      templates = result.policy.document.templates || {};
      notices.replaceChildren();
      loadOverride();
      schedulePreview(0);
      const what = `${kindText(kind.value)} (${formatLanguage(language.value)})`;
      toast(t(reset ? "msg.restored" : "msg.saved", { what }));
      notify("success", t(reset ? "msg.restored_title" : "msg.saved_title"), what);
      document.dispatchEvent(new CustomEvent("policy-saved", { detail: { policy: result.policy, source: "messages" } }));
    } catch (error) {
      clear(notices, banner("error", error.message));
    }
  }

  document.addEventListener("policy-saved", (event) => {
    if (event.detail.source === "messages") return;
    templates = event.detail.policy.document.templates || {};
    loadOverride();
  });

  gql(CATALOG).then(({ messageCatalog: catalog, policy }) => {
    templates = policy.document.templates || {};
    clear(kind, catalog.kinds.map((k) => h("option", { value: k }, kindText(k))));
    clear(language, catalog.languages.map((l) => h("option", { value: l }, formatLanguage(l))));
    const spoken = context.locale.split(/[-_]/)[0].toLowerCase();  // the dashboard's language, when mails have it
    if (catalog.languages.includes(spoken)) language.value = spoken;
    offers = catalog.offers;
    offersFor = Object.fromEntries(policy.offerFit.map((f) => [f.kind, f.offers]));
    fillOffers();
    clear(currency, catalog.currencies.map((c) => h("option", { value: c }, c)));
    if (catalog.currencies.includes(catalog.sampleCurrency)) currency.value = catalog.sampleCurrency;
    source.textContent = [catalog.shopName ? t("msg.source_shop", { shop: catalog.shopName }) : t("msg.source_sample"),
      catalog.sampleOrder ? t("msg.source_order", { number: catalog.sampleOrder }) : null].filter(Boolean).join(" ") + ".";
    clear(variables, catalog.variables.map((v) => [
      h("dt", {}, h("button", { type: "button", class: "link-button", title: t("msg.insert"),
        onclick: () => insert(`{{ ${v.name} }}`) }, `{{ ${v.name} }}`)),
      h("dd", {}, described(v))]));
    loadOverride().then(preview);
  }, (error) => clear(notices, banner("error", error.message)));

  function insert(snippet) {
    const el = lastFocused || text;
    const start = el.selectionStart ?? el.value.length;
    el.value = el.value.slice(0, start) + snippet + el.value.slice(el.selectionEnd ?? start);
    el.focus();
    el.selectionStart = el.selectionEnd = start + snippet.length;
    schedulePreview();
  }

  return { refresh() {} };
}

/** What a template variable holds, in the page's language; the server's English for one the strings lack yet. */
function described(variable) {
  const key = `var.${variable.name}`;
  return t(key) === key ? variable.description : t(key);
}
