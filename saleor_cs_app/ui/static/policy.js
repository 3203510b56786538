// The Policy tab: the live version, the form, a JSON editor, validation from the server, simulation.
import { gql } from "./api.js";
import { notify } from "./bridge.js";
import { banner, busy, clear, field, formatDate, formatMoney, h, toast } from "./dom.js";
import { kindText, offerCell, simulatedReason } from "./explain.js";
import { t, tn } from "./i18n.js";
import { locate, renderPolicyForm } from "./policy_form.js";
import { expectedText } from "./returns.js";

const POLICY_FIELDS = "document version createdAt createdBy history { version createdAt createdBy }";
const POLICY = `query Policy { policy { ${POLICY_FIELDS} offerFit { kind offers unfit { offer reason } } } }`;
const SAVE = `mutation Save($policy: JSON!) {
  updatePolicy(policy: $policy) { ok errors { path message } notice policy { ${POLICY_FIELDS} } } }`;
const SIMULATE = `mutation Simulate($policy: JSON!, $days: Int!) {
  simulatePolicy(policy: $policy, days: $days) {
    ok errors { path message } days incidents moreChanges
    currencies { currency incidents wouldGive wouldCost wouldNeedApproval blockedByLimits gave gaveCost
      wouldReturn { incidents unknown returning low high } gaveReturn { incidents unknown returning low high } }
    changes { orderNumber kind rule blockedBy needsApproval
      liveOffer { type value currency } simulatedOffer { type value currency } } } }`;

export function mountPolicy(panel) {
  let live = null;
  let draft = null;
  let form = null;
  let dirty = false;
  let templatesFromJson = false;
  let offerFit = [];  // which offers fit which kinds, from the server (care/situations.py)

  const version = h("div", { class: "live-version" });
  const history = h("div");
  const notices = h("div", { tabindex: "-1" });
  const formHost = h("div");
  const jsonArea = h("textarea", { class: "code", spellcheck: "false" });
  const jsonError = h("div", { class: "field-error", role: "alert" });
  const jsonEditor = h("details", { class: "card", ontoggle: () => { if (jsonEditor.open) jsonArea.value = pretty(draft); } },
    h("summary", {}, t("policy.json")),
    h("p", { class: "muted" }, t("policy.json_note", { command: "saleor-cs-app policy export" })),
    field(t("policy.json_field"), jsonArea), jsonError,
    h("div", { class: "row", style: "margin-top:8px" }, h("button", { type: "button", onclick: applyJson }, t("policy.apply_json"))));
  const simulation = h("section", { class: "card", hidden: true, "aria-live": "polite" });
  const dirtyNote = h("span", { class: "muted" });
  const saveButton = h("button", { type: "button", class: "primary", onclick: () => busy(saveButton, save()) }, t("policy.save"));
  const discardButton = h("button", { type: "button", onclick: () => { if (live) show(live); notices.replaceChildren(); } }, t("policy.discard"));
  const simulateButtons = [30, 90].map((days) => {
    const button = h("button", { type: "button", onclick: () => busy(button, simulate(days)) }, t("policy.simulate", { days }));
    return button;
  });

  clear(panel,
    h("div", { class: "card" }, h("div", { class: "card-head" }, h("h2", {}, t("policy.title")), version), history),
    notices, formHost, jsonEditor, simulation,
    h("div", { class: "savebar" },
      h("div", { class: "row" }, simulateButtons),
      h("div", { class: "savebar-end" }, dirtyNote, discardButton, saveButton)));

  document.addEventListener("policy-saved", (event) => {
    if (event.detail.source === "policy") return;
    live = event.detail.policy;
    if (!dirty) show(live);
  });

  function show(policy) {
    live = policy;
    draft = structuredClone(policy.document);
    templatesFromJson = false;
    form = renderPolicyForm(formHost, draft, onChange, offerFit);
    setDirty(false);
    version.replaceChildren(
      h("span", { class: "badge" }, policy.version ? t("policy.live", { version: policy.version }) : t("policy.default")),
      policy.createdBy ? h("span", { class: "muted" }, t("policy.changed_by", { who: policy.createdBy, when: formatDate(policy.createdAt) })) : null);
    clear(history, policy.history.length > 1 ? h("details", {}, h("summary", {}, tn("policy.history", policy.history.length)),
      h("ol", { class: "muted", reversed: true }, policy.history.map((v) =>
        h("li", {}, t("policy.history_line", { version: v.version, who: v.createdBy, when: formatDate(v.createdAt) }))))) : null);
    if (jsonEditor.open) jsonArea.value = pretty(draft);
  }

  function onChange() {
    setDirty(true);
    if (jsonEditor.open && document.activeElement !== jsonArea) jsonArea.value = pretty(draft);
  }

  function setDirty(value) {
    dirty = value;
    dirtyNote.textContent = value ? t("policy.unsaved") : "";
  }

  function applyJson() {
    let parsed;
    try { parsed = JSON.parse(jsonArea.value); } catch (error) {
      jsonError.textContent = t("policy.bad_json", { error: error.message });
      jsonArea.setAttribute("aria-invalid", "true");
      return;
    }
    jsonError.textContent = "";
    jsonArea.removeAttribute("aria-invalid");
    draft = parsed;
    templatesFromJson = true;
    form = renderPolicyForm(formHost, draft, onChange, offerFit);
    setDirty(true);
    toast(t("policy.applied"));
  }

  function documentToSend() {
    // Message overrides are saved from the Messages tab; keep the latest ones unless edited here as JSON.
    if (templatesFromJson || !live) return draft;
    const out = { ...draft, templates: live.document.templates || {} };
    if (!Object.keys(out.templates).length) delete out.templates;
    return out;
  }

  function showErrors(title, errors) {
    const unplaced = new Set(form.showErrors(errors));
    clear(notices, banner("error", h("strong", {}, title), h("ul", {}, errors.map((error) =>
      h("li", {}, unplaced.has(error) ? `${error.path || t("policy.document_path")}: ${error.message}`
        : h("button", { type: "button", class: "link-button", onclick: () => focusPath(error.path) }, describe(error)))))));
    notices.focus();
  }

  function describe(error) {
    const control = locate(formHost, error.path)?.control;
    const name = control ? formHost.querySelector(`label[for="${control.id}"]`)?.textContent : null;
    return name ? `${name} (${error.path}): ${error.message}` : `${error.path}: ${error.message}`;
  }

  function focusPath(path) {
    const target = locate(formHost, path);
    const el = target?.control || target?.group?.querySelector("input, select, button");
    if (el) { el.scrollIntoView({ block: "center" }); el.focus(); }
  }

  async function save() {
    try {
      const { updatePolicy: result } = await gql(SAVE, { policy: documentToSend() });
      if (!result.ok) {
        showErrors(tn("policy.not_saved", result.errors.length), result.errors);
        return;
      }
      show(result.policy);
      const saved = t("policy.saved", { version: result.policy.version });
      clear(notices, banner("success", result.notice ? `${saved} ${result.notice}` : saved));
      notify("success", t("policy.saved_title"), t("policy.saved_text", { version: result.policy.version }));
      document.dispatchEvent(new CustomEvent("policy-saved", { detail: { policy: result.policy, source: "policy" } }));
    } catch (error) {
      clear(notices, banner("error", error.message));
    }
  }

  async function simulate(days) {
    try {
      const { simulatePolicy: result } = await gql(SIMULATE, { policy: documentToSend(), days });
      if (!result.ok) {
        simulation.hidden = true;
        showErrors(t("policy.cannot_simulate"), result.errors);
        return;
      }
      notices.replaceChildren();
      form.showErrors([]);
      renderSimulation(simulation, result);
      simulation.hidden = false;
      simulation.scrollIntoView({ block: "start" });
      simulation.querySelector("h2").focus();
    } catch (error) {
      clear(notices, banner("error", error.message));
    }
  }

  gql(POLICY).then(({ policy }) => { offerFit = policy.offerFit; show(policy); }, (error) => clear(notices, banner("error", error.message)));
  return { refresh() {} };
}

function renderSimulation(box, result) {
  const title = h("h2", { tabindex: "-1" }, tn("sim.title", result.days));
  if (!result.incidents) {
    clear(box, title, h("p", { class: "empty" }, tn("sim.none", result.days)));
    return;
  }
  const currencies = result.currencies.map((c) => {
    const top = Math.max(Number(c.wouldCost), Number(c.gaveCost), 0.01);
    const bar = (value, cls) => h("div", { class: `bar ${cls}`, style: `width:${(100 * Number(value)) / top}%` });
    return h("div", { class: "stack" },
      h("h3", {}, tn("sim.currency", c.incidents, { currency: c.currency })),
      h("div", { class: "compare", role: "img", "aria-label": t("sim.cost_compare", {
        ours: formatMoney(c.wouldCost, c.currency), theirs: formatMoney(c.gaveCost, c.currency) }) },
        h("span", {}, t("sim.this")), bar(c.wouldCost, ""), h("strong", {}, formatMoney(c.wouldCost, c.currency)),
        h("span", {}, t("sim.live")), bar(c.gaveCost, "live"), h("span", {}, formatMoney(c.gaveCost, c.currency))),
      h("table", {},
        h("thead", {}, h("tr", {}, h("th", {}, ""), h("th", { class: "num" }, t("sim.this")), h("th", { class: "num" }, t("sim.live")))),
        h("tbody", {},
          row(t("sim.offers"), c.wouldGive, c.gave),
          row(t("sim.cost"), formatMoney(c.wouldCost, c.currency), formatMoney(c.gaveCost, c.currency)),
          row(t("sim.would_wait"), c.wouldNeedApproval, "—"),
          row(t("sim.blocked"), c.blockedByLimits, "—"),
          row(t("returns.sim_row"), expectedText(c.wouldReturn), expectedText(c.gaveReturn)))));
  });
  const changes = result.changes.length ? h("details", { open: result.changes.length <= 5 },
    h("summary", {}, tn("sim.changes", result.changes.length + result.moreChanges)),
    h("table", {}, h("thead", {}, h("tr", {}, ["col.order", "col.problem", "sim.live_gave", "sim.this", "sim.why"].map((k) => h("th", {}, t(k))))),
      h("tbody", {}, result.changes.map((c) => h("tr", {},
        h("td", {}, `#${c.orderNumber}`), h("td", {}, kindText(c.kind)), h("td", {}, offerCell(c.liveOffer)),
        h("td", {}, offerCell(c.simulatedOffer)), h("td", { class: "muted" }, simulatedReason(c)))))),
    result.moreChanges ? h("p", { class: "muted" }, t("sim.more", { count: result.moreChanges })) : null)
    : h("p", { class: "muted" }, t("sim.same"));
  clear(box, title, h("p", { class: "muted" }, t("sim.lead")),
    currencies, changes);
}

const row = (name, ours, theirs) => h("tr", {}, h("td", {}, name), h("td", { class: "num" }, String(ours)), h("td", { class: "num" }, String(theirs)));
const pretty = (doc) => JSON.stringify(doc, null, 2);
