// Progressive enhancement only: every page works without this file.
// Disclosures marked data-open-wide (the idea filters) start open where there is room for them.
document.addEventListener("DOMContentLoaded", () => {
  if (!window.matchMedia("(min-width: 48rem)").matches) return;
  for (const details of document.querySelectorAll("details[data-open-wide]")) details.open = true;
});
