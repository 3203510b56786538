// AppBridge, the iframe's half of the dashboard protocol (app-sdk src/app-bridge), without the SDK.
// The dashboard posts {type, payload} events: handshake {token}, tokenRefresh {token}, theme {theme},
// localeChanged {locale}; the app posts actions {type, payload: {..., actionId}} to window.parent.

const params = new URLSearchParams(window.location.search);

export const context = {
  saleorApiUrl: params.get("saleorApiUrl"),
  appId: params.get("id"),
  orderId: params.get("orderId"),
  theme: params.get("theme") === "dark" ? "dark" : "light",
  locale: params.get("locale") || navigator.language || "en",
  dashboardVersion: null,  // from the handshake (app-sdk HandshakeEvent.dashboardVersion), when the dashboard says
};

export const embedded = window.parent !== window && Boolean(context.saleorApiUrl);

// app-sdk only listens to the page that framed it (document.referrer's origin).
const dashboardOrigin = (() => {
  try { return document.referrer ? new URL(document.referrer).origin : null; } catch { return null; }
})();

let token = null;
let waiting = [];
const listeners = { theme: [], locale: [], token: [] };

export function on(event, callback) { listeners[event].push(callback); }

function emit(event, value) { for (const cb of listeners[event]) cb(value); }

function actionId() {
  if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
  return "xxxxxxxx-xxxx-4xxx-yxxx-xxxxxxxxxxxx".replace(/[xy]/g, (c) => {
    const r = (Math.random() * 16) | 0;
    return (c === "x" ? r : (r & 0x3) | 0x8).toString(16);
  });
}

export function send(type, payload = {}) {
  if (!embedded) return;
  window.parent.postMessage({ type, payload: { ...payload, actionId: actionId() } }, "*");
}

export function notify(status, title, text = "") {
  send("notification", { status, title, text });
}

export function redirect(to, newContext = false) {
  send("redirect", { to, newContext });
}

/** The dashboard path of this app's own page with a query. Dashboards from 3.22 route apps at
 * /extensions/app/<id> (saleor-dashboard src/extensions/urls.ts, ExtensionsUrls.resolveViewManifestExtensionUrl);
 * 3.23 no longer matches the legacy /apps/<encoded id>/app against the encoded id and lands on the list. */
export function appPagePath(query) {
  const id = encodeURIComponent(context.appId);
  const [major, minor] = (context.dashboardVersion || "").split(".").map(Number);
  const legacy = major === 3 && minor < 22;
  return `${legacy ? `/apps/${id}/app` : `/extensions/app/${id}`}?${new URLSearchParams(query)}`;
}

function applyTheme(theme) {
  context.theme = theme === "dark" ? "dark" : "light";
  document.documentElement.dataset.theme = context.theme;
  emit("theme", context.theme);
}

function applyLocale(locale) {
  if (!locale) return;
  context.locale = locale;
  document.documentElement.lang = locale;
  emit("locale", locale);
}

function setToken(value) {
  token = value;
  const ready = waiting;
  waiting = [];
  for (const resolve of ready) resolve(value);
  emit("token", value);
}

window.addEventListener("message", (event) => {
  if (event.source !== window.parent) return;
  if (dashboardOrigin && event.origin !== dashboardOrigin) return;
  const data = event.data;
  if (!data || typeof data.type !== "string") return;
  const payload = data.payload || {};
  switch (data.type) {
    case "handshake":
    case "tokenRefresh":
      if (typeof payload.dashboardVersion === "string") context.dashboardVersion = payload.dashboardVersion;
      if (typeof payload.token === "string" && payload.token) setToken(payload.token);
      break;
    case "theme":
      applyTheme(payload.theme);
      break;
    case "localeChanged":
      applyLocale(payload.locale);
      break;
    default:
      break;
  }
});

export function getToken(timeoutMs = 10000) {
  if (token) return Promise.resolve(token);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("The Saleor dashboard did not sign you in. Reload the page.")), timeoutMs);
    waiting.push((value) => { clearTimeout(timer); resolve(value); });
  });
}

export function start() {
  applyTheme(context.theme);
  applyLocale(context.locale);
  const outside = document.getElementById("outside");
  const connecting = document.getElementById("connecting");
  if (!embedded) {
    connecting.hidden = true;
    outside.hidden = false;
    return false;
  }
  send("notifyReady");
  getToken().then(
    () => { connecting.hidden = true; document.getElementById("app").hidden = false; },
    (error) => { connecting.textContent = error.message; },
  );
  return true;
}
