// The "Your brand" card on the Messages tab: what heads the customer's order page and the e-mails — name,
// logo, accent colour, support contacts — with a preview beside the settings. The server checks the
// logo (re-encoded like the customers' photos) and refuses an accent below WCAG AA contrast, saying why.
import { gql } from "./api.js";
import { busy, clear, field, h, toast } from "./dom.js";
import { t } from "./i18n.js";

const FIELDS = "name saleorName accent logoUrl email phone url";
const QUERY = `query { brand { ${FIELDS} } }`;
const UPDATE = `mutation Brand($name: String, $accent: String, $email: String, $phone: String, $url: String) {
  updateBrand(name: $name, accent: $accent, email: $email, phone: $phone, url: $url) { ok errors { field message } brand { ${FIELDS} } } }`;
const LOGO = `mutation Logo($image: String) { setBrandLogo(imageBase64: $image) { ok errors { field message } brand { ${FIELDS} } } }`;
const DEFAULT_ACCENT = "#0b57d0";  // the customer page's own blue (support/static/support.css)

export function brandCard() {
  const inputs = {
    name: h("input", { type: "text", maxlength: 80, autocomplete: "off" }),
    accent: h("input", { type: "text", maxlength: 7, autocomplete: "off", placeholder: DEFAULT_ACCENT }),
    email: h("input", { type: "email", autocomplete: "off" }),
    phone: h("input", { type: "text", inputmode: "tel", autocomplete: "off" }),
    url: h("input", { type: "text", inputmode: "url", autocomplete: "off", placeholder: "https://" }),
  };
  const picker = h("input", { type: "color", value: DEFAULT_ACCENT, "aria-label": t("brand.accent_picker") });
  const logoInput = h("input", { type: "file", accept: "image/png,image/jpeg,image/webp,image/heic" });
  const fields = {
    name: field(t("brand.name"), inputs.name, { hint: t("brand.name_hint") }),
    accent: field(t("brand.accent"), inputs.accent, { hint: t("brand.accent_hint") }),
    logo: field(t("brand.logo"), logoInput, { hint: t("brand.logo_hint") }),
    email: field(t("brand.email"), inputs.email),
    phone: field(t("brand.phone"), inputs.phone),
    url: field(t("brand.url"), inputs.url),
  };
  fields.accent.insertBefore(picker, inputs.accent.nextSibling);
  const removeLogo = h("button", { type: "button", onclick: () => busy(removeLogo, sendLogo(null)) }, t("brand.remove_logo"));
  const save = h("button", { type: "button", class: "primary", onclick: () => busy(save, submit()) }, t("brand.save"));
  let saleorName = "";
  let logoUrl = null;

  // The preview: the page's header and its first button and link, in the colours the customer will see.
  const previewBar = h("div", { class: "brand-bar" });
  const previewButton = h("span", { class: "brand-button" }, t("brand.preview_button"));
  const previewLink = h("span", { class: "brand-link" }, t("brand.preview_link"));
  const previewContacts = h("p", { class: "muted small" });
  const preview = h("div", { class: "brand-preview", "aria-hidden": "true" }, previewBar,
    h("div", { class: "brand-body" }, h("strong", {}, t("brand.preview_order")), h("p", {}, previewLink), previewButton, previewContacts));

  function showPreview() {
    const colour = /^#[0-9a-fA-F]{6}$/.test(inputs.accent.value.trim()) ? inputs.accent.value.trim() : DEFAULT_ACCENT;
    const name = inputs.name.value.trim() || saleorName;
    clear(previewBar, logoUrl ? h("img", { src: logoUrl, alt: "", height: 24 }) : null, h("span", {}, name));
    previewBar.style.setProperty("background", colour);
    previewButton.style.setProperty("background", colour);
    previewLink.style.setProperty("color", colour);
    previewContacts.textContent = [inputs.email.value, inputs.phone.value, inputs.url.value].map((v) => v.trim()).filter(Boolean).join(" · ");
  }

  function show(brand) {
    saleorName = brand.saleorName || "";
    logoUrl = brand.logoUrl;
    for (const key of ["name", "accent", "email", "phone", "url"]) inputs[key].value = brand[key] || "";
    picker.value = brand.accent || DEFAULT_ACCENT;
    inputs.name.placeholder = saleorName;
    removeLogo.hidden = !logoUrl;
    showPreview();
  }

  function showErrors(errors) {
    for (const f of Object.values(fields)) f.querySelector(".field-error").textContent = "";
    for (const e of errors) (fields[e.field] || fields.name).querySelector(".field-error").textContent = e.message;
    if (errors.length) (inputs[errors[0].field] || logoInput).focus();
  }

  async function submit() {
    const values = Object.fromEntries(Object.entries(inputs).map(([k, el]) => [k, el.value.trim() || null]));
    const result = (await gql(UPDATE, values)).updateBrand;
    showErrors(result.errors);
    if (result.ok) { show(result.brand); toast(t("brand.saved")); }
  }

  async function sendLogo(image) {
    const result = (await gql(LOGO, { image })).setBrandLogo;
    showErrors(result.errors);
    logoInput.value = "";
    if (result.ok) { show(result.brand); toast(t(image ? "brand.logo_saved" : "brand.logo_removed")); }
  }

  logoInput.addEventListener("change", () => {
    const file = logoInput.files[0];
    if (!file) return;
    const reader = new FileReader();
    reader.onload = () => busy(save, sendLogo(String(reader.result).split(",")[1] || ""));
    reader.readAsDataURL(file);
  });
  picker.addEventListener("input", () => { inputs.accent.value = picker.value; showPreview(); });
  for (const el of Object.values(inputs)) el.addEventListener("input", showPreview);

  gql(QUERY).then((data) => show(data.brand)).catch((e) => showErrors([{ field: "name", message: e.message }]));
  return h("section", { class: "card", "aria-label": t("brand.title") },
    h("h2", {}, t("brand.title")), h("p", { class: "muted" }, t("brand.lead")),
    h("div", { class: "split" },
      h("div", {}, fields.name, fields.logo, removeLogo, fields.accent, fields.email, fields.phone, fields.url,
        h("div", { class: "decide" }, save)),
      h("div", {}, h("h3", {}, t("brand.preview")), preview)));
}
