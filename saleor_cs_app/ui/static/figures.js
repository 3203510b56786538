// What the Insights sections share: the server's charts, CSV downloads and percentages.
import { h } from "./dom.js";

/** The server's pygal SVG (no script), parsed as SVG, never as HTML, in a figure named for screen readers. */
export function svgFigure(svg, className, label) {
  const parsed = new DOMParser().parseFromString(svg, "image/svg+xml").documentElement;
  const figure = h("figure", { class: className, role: "img", "aria-label": label });
  if (parsed.nodeName === "svg") figure.append(document.importNode(parsed, true));
  return figure;
}

/** Hands `text` to the browser as a CSV file download. */
export function saveCsv(text, filename) {
  const link = h("a", { href: URL.createObjectURL(new Blob([text], { type: "text/csv" })), download: filename });
  document.body.append(link);
  link.click();
  link.remove();
}

export const pct = (x) => `${Math.round(x * 100)} %`;
