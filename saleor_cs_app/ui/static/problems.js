// Problems the merchant must act on, above the tabs; on Saleor 3.22+ they are also in the app list.
import { gql } from "./api.js";
import { banner, clear, h } from "./dom.js";
import { t } from "./i18n.js";

const PROBLEMS = `query Problems { appProblems { key message inSaleor } }`;

export async function showProblems(box) {
  try {
    const { appProblems: problems } = await gql(PROBLEMS);
    clear(box, problems.length ? banner("error", h("strong", {}, t("problems.title")),
      h("ul", {}, problems.map((p) => h("li", { dataset: { key: p.key } }, p.message)))) : null);
  } catch (error) {
    clear(box, banner("error", error.message));
  }
}
