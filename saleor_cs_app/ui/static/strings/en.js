// English: the source language; every key the page uses is here.
export default {
  "period.any": "Any time",
  "period.today": "Today",
  "period.last7": "Last 7 days",
  "period.last30": "Last 30 days",
  "period.thisMonth": "This month",
  "period.lastMonth": "Last month",
};
