// Sharing page: copy buttons for public links (shown only where the clipboard can be used).
"use strict";
document.addEventListener("DOMContentLoaded", () => {
  if (!navigator.clipboard) return;
  document.querySelectorAll("button[data-copy]").forEach((button) => {
    const field = document.getElementById(button.getAttribute("data-copy"));
    if (!field) return;
    const label = button.textContent;
    button.hidden = false;
    button.addEventListener("click", () => {
      navigator.clipboard.writeText(field.value).then(() => {
        button.textContent = button.getAttribute("data-copied") || label;
        setTimeout(() => { button.textContent = label; }, 2000);
      }, () => { field.select(); });
    });
  });
});
