// The app page (appUrl): AppBridge first, then four tabs, each mounted the first time it is shown.
import { start } from "./bridge.js";
import { mountIncidents } from "./incidents.js";
import { mountInsights } from "./insights.js";
import { mountMessages } from "./messages.js";
import { mountPolicy } from "./policy.js";
import { mountTracking } from "./tracking.js";

const MOUNT = { policy: mountPolicy, messages: mountMessages, incidents: mountIncidents, tracking: mountTracking, insights: mountInsights };
const mounted = {};
const tabs = [...document.querySelectorAll('[role="tab"]')];

function show(name, focus = false) {
  for (const tab of tabs) {
    const on = tab.id === `tab-${name}`;
    tab.setAttribute("aria-selected", String(on));
    tab.tabIndex = on ? 0 : -1;
    document.getElementById(tab.getAttribute("aria-controls")).hidden = !on;
    if (on && focus) tab.focus();
  }
  const panel = document.getElementById(`panel-${name}`);
  if (!mounted[name]) mounted[name] = MOUNT[name](panel);
  else mounted[name].refresh();
}

for (const [i, tab] of tabs.entries()) {
  const name = tab.id.replace("tab-", "");
  tab.addEventListener("click", () => show(name));
  tab.addEventListener("keydown", (event) => {  // WAI-ARIA tabs: arrows move, Home/End jump
    const to = { ArrowRight: i + 1, ArrowLeft: i - 1, Home: 0, End: tabs.length - 1 }[event.key];
    if (to === undefined) return;
    event.preventDefault();
    show(tabs[(to + tabs.length) % tabs.length].id.replace("tab-", ""), true);
  });
}

if (start()) show(new URLSearchParams(location.search).get("tab") in MOUNT ? new URLSearchParams(location.search).get("tab") : "policy");
