// The page's words in the dashboard's language: one strings file per language (strings/<lang>.js),
// English as the fallback for a missing key. `t("key", {name})` fills {name} placeholders.
import { context } from "./bridge.js";
import en from "./strings/en.js";

export const LANGUAGES = ["en", "fi", "pl", "lt", "de", "sv"];
let words = en;

export function languageOf(locale) {
  const base = String(locale || "en").toLowerCase().split(/[-_]/)[0];
  return LANGUAGES.includes(base) ? base : "en";
}

/** Load the strings for the dashboard's locale; resolves once `t` speaks that language. */
export async function useLocale(locale = context.locale) {
  const language = languageOf(locale);
  words = language === "en" ? en : { ...en, ...(await import(`./strings/${language}.js`)).default };
  document.documentElement.lang = language;
  return language;
}

export function t(key, vars = {}) {
  const text = words[key] ?? en[key] ?? key;
  return text.replace(/\{(\w+)\}/g, (_, name) => (vars[name] ?? `{${name}}`));
}

/** The plural form for `count` in the current language: keys `key.one`, `key.few`, `key.many`, `key.other`. */
export function tn(key, count, vars = {}) {
  const form = new Intl.PluralRules(languageOf(context.locale)).select(count);
  const chosen = words[`${key}.${form}`] ?? en[`${key}.${form}`] ? `${key}.${form}` : `${key}.other`;
  return t(chosen, { count, ...vars });
}
