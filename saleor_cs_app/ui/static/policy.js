// The Policy tab: the live version, the form, a JSON editor, validation from the server, simulation.
import { gql } from "./api.js";
import { notify } from "./bridge.js";
import { banner, busy, clear, field, formatDate, formatMoney, h, KIND_LABELS, label, toast } from "./dom.js";
import { locate, renderPolicyForm } from "./policy_form.js";

const POLICY_FIELDS = "document version createdAt createdBy history { version createdAt createdBy }";
const POLICY = `query Policy { policy { ${POLICY_FIELDS} } }`;
const SAVE = `mutation Save($policy: JSON!) {
  updatePolicy(policy: $policy) { ok errors { path message } notice policy { ${POLICY_FIELDS} } } }`;
const SIMULATE = `mutation Simulate($policy: JSON!, $days: Int!) {
  simulatePolicy(policy: $policy, days: $days) {
    ok errors { path message } days incidents moreChanges
    currencies { currency incidents wouldGive wouldCost wouldNeedApproval blockedByLimits gave gaveCost }
    changes { orderNumber kind live simulated reason } } }`;

export function mountPolicy(panel) {
  let live = null;
  let draft = null;
  let form = null;
  let dirty = false;
  let templatesFromJson = false;

  const version = h("div", { class: "live-version" });
  const history = h("div");
  const notices = h("div", { tabindex: "-1" });
  const formHost = h("div");
  const jsonArea = h("textarea", { class: "code", spellcheck: "false" });
  const jsonError = h("div", { class: "field-error", role: "alert" });
  const jsonEditor = h("details", { class: "card", ontoggle: () => { if (jsonEditor.open) jsonArea.value = pretty(draft); } },
    h("summary", {}, "Edit as JSON"),
    h("p", { class: "muted" }, "The same document `saleor-cs-app policy export` writes. Apply it to the form, then save."),
    field("Policy document (JSON)", jsonArea), jsonError,
    h("div", { class: "row", style: "margin-top:8px" }, h("button", { type: "button", onclick: applyJson }, "Apply JSON to the form")));
  const simulation = h("section", { class: "card", hidden: true, "aria-live": "polite" });
  const dirtyNote = h("span", { class: "muted" });
  const saveButton = h("button", { type: "button", class: "primary", onclick: () => busy(saveButton, save()) }, "Save policy");
  const discardButton = h("button", { type: "button", onclick: () => { if (live) show(live); notices.replaceChildren(); } }, "Discard changes");
  const simulateButtons = [30, 90].map((days) => {
    const button = h("button", { type: "button", onclick: () => busy(button, simulate(days)) }, `Simulate last ${days} days`);
    return button;
  });

  clear(panel,
    h("div", { class: "card" }, h("div", { class: "card-head" }, h("h2", {}, "Compensation policy"), version), history),
    notices, formHost, jsonEditor, simulation,
    h("div", { class: "sticky-actions spread" },
      h("div", { class: "row" }, saveButton, discardButton, dirtyNote),
      h("div", { class: "row" }, simulateButtons)));

  document.addEventListener("policy-saved", (event) => {
    if (event.detail.source === "policy") return;
    live = event.detail.policy;
    if (!dirty) show(live);
  });

  function show(policy) {
    live = policy;
    draft = structuredClone(policy.document);
    templatesFromJson = false;
    form = renderPolicyForm(formHost, draft, onChange);
    setDirty(false);
    version.replaceChildren(
      h("span", { class: "badge" }, policy.version ? `Live: version ${policy.version}` : "Default policy"),
      policy.createdBy ? h("span", { class: "muted" }, `changed by ${policy.createdBy}, ${formatDate(policy.createdAt)}`) : null);
    clear(history, policy.history.length > 1 ? h("details", {}, h("summary", {}, `History (${policy.history.length} versions)`),
      h("ol", { class: "muted", reversed: true }, policy.history.map((v) =>
        h("li", {}, `Version ${v.version} — ${v.createdBy}, ${formatDate(v.createdAt)}`)))) : null);
    if (jsonEditor.open) jsonArea.value = pretty(draft);
  }

  function onChange() {
    setDirty(true);
    if (jsonEditor.open && document.activeElement !== jsonArea) jsonArea.value = pretty(draft);
  }

  function setDirty(value) {
    dirty = value;
    dirtyNote.textContent = value ? "Unsaved changes" : "";
  }

  function applyJson() {
    let parsed;
    try { parsed = JSON.parse(jsonArea.value); } catch (error) {
      jsonError.textContent = `Not valid JSON: ${error.message}`;
      jsonArea.setAttribute("aria-invalid", "true");
      return;
    }
    jsonError.textContent = "";
    jsonArea.removeAttribute("aria-invalid");
    draft = parsed;
    templatesFromJson = true;
    form = renderPolicyForm(formHost, draft, onChange);
    setDirty(true);
    toast("Applied to the form — not saved yet");
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
      h("li", {}, unplaced.has(error) ? `${error.path || "document"}: ${error.message}`
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
        showErrors(`Not saved: ${result.errors.length === 1 ? "one problem" : `${result.errors.length} problems`} to fix`, result.errors);
        return;
      }
      show(result.policy);
      clear(notices, banner("success", `Saved. Version ${result.policy.version} is live.${result.notice ? ` ${result.notice}` : ""}`));
      notify("success", "Policy saved", `Version ${result.policy.version} is live.`);
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
        showErrors("Cannot simulate: the policy has problems", result.errors);
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

  gql(POLICY).then(({ policy }) => show(policy), (error) => clear(notices, banner("error", error.message)));
  return { refresh() {} };
}

function renderSimulation(box, result) {
  const title = h("h2", { tabindex: "-1" }, `If this policy had been live for the last ${result.days} days`);
  if (!result.incidents) {
    clear(box, title, h("p", { class: "empty" }, `No incidents in the last ${result.days} days to replay.`));
    return;
  }
  const currencies = result.currencies.map((c) => {
    const top = Math.max(Number(c.wouldCost), Number(c.gaveCost), 0.01);
    const bar = (value, cls) => h("div", { class: `bar ${cls}`, style: `width:${(100 * Number(value)) / top}%` });
    return h("div", { class: "stack" },
      h("h3", {}, `${c.currency} — ${c.incidents} incident${c.incidents === 1 ? "" : "s"}`),
      h("div", { class: "compare", role: "img", "aria-label": `Cost: this policy ${c.wouldCost}, live policy ${c.gaveCost} ${c.currency}` },
        h("span", {}, "This policy"), bar(c.wouldCost, ""), h("strong", {}, formatMoney(c.wouldCost, c.currency)),
        h("span", {}, "Live policy"), bar(c.gaveCost, "live"), h("span", {}, formatMoney(c.gaveCost, c.currency))),
      h("table", {},
        h("thead", {}, h("tr", {}, h("th", {}, ""), h("th", { class: "num" }, "This policy"), h("th", { class: "num" }, "Live policy"))),
        h("tbody", {},
          row("Offers given", c.wouldGive, c.gave),
          row("Cost", formatMoney(c.wouldCost, c.currency), formatMoney(c.gaveCost, c.currency)),
          row("Would wait for approval", c.wouldNeedApproval, "—"),
          row("Blocked by limits (apology only)", c.blockedByLimits, "—"))));
  });
  const changes = result.changes.length ? h("details", { open: result.changes.length <= 5 },
    h("summary", {}, `${result.changes.length + result.moreChanges} decision${result.changes.length + result.moreChanges === 1 ? "" : "s"} would change`),
    h("table", {}, h("thead", {}, h("tr", {}, ["Order", "Problem", "Live policy gave", "This policy", "Why"].map((t) => h("th", {}, t)))),
      h("tbody", {}, result.changes.map((c) => h("tr", {},
        h("td", {}, `#${c.orderNumber}`), h("td", {}, label(KIND_LABELS, c.kind)), h("td", {}, c.live), h("td", {}, c.simulated),
        h("td", { class: "muted" }, c.reason))))),
    result.moreChanges ? h("p", { class: "muted" }, `…and ${result.moreChanges} more.`) : null)
    : h("p", { class: "muted" }, "Every decision would stay the same.");
  clear(box, title, h("p", { class: "muted" }, "Past incidents replayed in order, with the budget and per-customer limits applied as they go."),
    currencies, changes);
}

const row = (name, ours, theirs) => h("tr", {}, h("td", {}, name), h("td", { class: "num" }, String(ours)), h("td", { class: "num" }, String(theirs)));
const pretty = (doc) => JSON.stringify(doc, null, 2);
