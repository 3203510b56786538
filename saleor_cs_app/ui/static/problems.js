// Problems the merchant must act on, above the tabs; on Saleor 3.22+ they are also in the app list.
// Saleor gets the English message; the page words each problem from its code and parts in the dashboard's language.
import { gql } from "./api.js";
import { banner, clear, formatDate, formatMoney, h } from "./dom.js";
import { t } from "./i18n.js";
import { monthOptions } from "./periods.js";

const PROBLEMS = `query Problems { appProblems { key code params message inSaleor } }`;
const KNOWN_SOURCES = ["aftership", "dhl"];

function tracking(p) {
  const source = KNOWN_SOURCES.includes(p.source) ? p.source : "other";
  const since = formatDate(p.since);
  if (p.reason !== "key_refused") return t("problems.silent", { name: p.name, since });
  return [t(`problems.key_refused.${source}`, { name: p.name, since }),
    p.detail ? t("problems.key_said", { name: p.name, detail: p.detail }) : null,
    t(`problems.key_fix.${source}`, { name: p.name })].filter(Boolean).join(" ");
}

/** The problem in the page's language; its English message when the parts did not come. */
export function problemText(problem) {
  const p = problem.params;
  if (!p) return problem.message;
  switch (problem.code) {
    case "smtp-refusing-mail": return t("problems.smtp_refusing", { error: p.error });
    case "saleor-permissions-missing": return t("problems.permissions_missing", { permissions: p.permissions });
    case "monthly-budget-spent": return t("problems.budget_spent", { currency: p.currency,
      used: formatMoney(p.used, p.currency), budget: formatMoney(p.budget, p.currency), month: monthOptions(1, p.month)[0][1] });
    case "tracking-source-disconnected": return tracking(p);
    default: return problem.message;
  }
}

export async function showProblems(box) {
  try {
    const { appProblems: problems } = await gql(PROBLEMS);
    clear(box, problems.length ? banner("error", h("strong", {}, t("problems.title")),
      h("ul", {}, problems.map((p) => h("li", { dataset: { key: p.key } }, problemText(p))))) : null);
  } catch (error) {
    clear(box, banner("error", error.message));
  }
}
